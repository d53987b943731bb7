/** What the studio knows of the GPU behind WebGPU or WebGL, read in the Worker that runs it (worker/deviceFacts.ts). */
export interface DeviceFacts {
  api: 'webgpu' | 'webgl';
  vendor: string;
  /** WebGPU: the adapter's architecture; WebGL: empty. */
  architecture: string;
  /** WebGPU: the adapter's description (often the GPU's name); WebGL: the renderer string. */
  description: string;
  /** A software rasteriser (SwiftShader, llvmpipe, WARP…): a CPU emulating a GPU, slower than WASM as a rule. */
  software: boolean;
  /** The limits that bound TabTune's kernels: storage buffers per shader stage and the largest buffer (WebGPU), the largest texture (WebGL). */
  limits: Record<string, number>;
}

const SOFTWARE =
  /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b|mesa offscreen/i;

/** Whether a vendor, architecture or renderer string names a software rasteriser. Pure. */
export function isSoftwareName(...names: string[]): boolean {
  return names.some((n) => SOFTWARE.test(n));
}

/** "SwiftShader Device (Subzero) (google, swiftshader) — a software GPU (a CPU emulating one)". */
export function describeDevice(d: DeviceFacts): string {
  const who = [d.vendor, d.architecture].filter(Boolean).join(', ');
  const name = d.description || who || 'an unnamed GPU';
  const limits = Object.entries(d.limits)
    .map(([k, v]) => `${k} ${v >= 1 << 20 ? `${Math.round(v / (1 << 20))} MiB` : v}`)
    .join(', ');
  return `${name}${d.description && who ? ` (${who})` : ''}${d.software ? ' — a software GPU (a CPU emulating one)' : ''}${limits ? `; ${limits}` : ''}`;
}

/** The device in a few words, for the run record and a table cell: "NVIDIA GeForce RTX 3060", "google, swiftshader (software)". */
export function deviceName(d: DeviceFacts): string {
  const name = d.description || [d.vendor, d.architecture].filter(Boolean).join(', ') || 'an unnamed GPU';
  return `${name}${d.software ? ' (software)' : ''}`;
}
