import type { DeviceFacts } from '../core/runtime/device';
import { isSoftwareName } from '../core/runtime/device';
import { webglContext, webgpuDevice } from './gpuHealth';

/** The GPU behind the backend that runs (WebGPU's adapter, WebGL's renderer), or null for WASM and CPU. */
export async function deviceFacts(): Promise<DeviceFacts | null> {
  const device = webgpuDevice();
  if (device) return webgpuFacts(device);
  const gl = webglContext();
  return gl ? webglFacts(gl) : null;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}

async function webgpuFacts(device: GPUDevice): Promise<DeviceFacts> {
  // The device's own adapter info where the browser has it; a second adapter request otherwise (the same adapter).
  let info = (device as unknown as { adapterInfo?: AdapterInfoLike }).adapterInfo ?? null;
  let fallback = info?.isFallbackAdapter ?? false;
  if (!info) {
    const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
    info = (adapter as unknown as { info?: AdapterInfoLike } | null)?.info ?? null;
    fallback =
      info?.isFallbackAdapter ??
      (adapter as unknown as { isFallbackAdapter?: boolean })?.isFallbackAdapter ??
      false;
  }
  const vendor = info?.vendor ?? '';
  const architecture = info?.architecture ?? '';
  const description = info?.description || info?.device || '';
  return {
    api: 'webgpu',
    vendor,
    architecture,
    description,
    software: fallback || isSoftwareName(vendor, architecture, description),
    limits: {
      maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
      maxBufferSize: device.limits.maxBufferSize,
    },
  };
}

function webglFacts(gl: WebGL2RenderingContext): DeviceFacts {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const vendor = String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR) ?? '');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  return {
    api: 'webgl',
    vendor,
    architecture: '',
    description: renderer,
    software: isSoftwareName(vendor, renderer),
    limits: { maxTextureSize: Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)) },
  };
}
