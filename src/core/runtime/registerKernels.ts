import { registerWasmKernels } from '../wasm/wasmKernels';
import { registerWebgpuKernels } from '../webgpu/webgpuKernels';

/**
 * TabTune's own kernels (core/wasm, core/webgpu) put into TF.js's kernel registry, once: what `chooseBackend`
 * does before a backend starts, and what a script or test that sets a backend itself calls first. Importing the
 * model registers nothing (the model's ops ask `hasKernel` and fall back to TF.js's composites).
 */
export function registerKernels(): void {
  registerWasmKernels();
  registerWebgpuKernels();
}
