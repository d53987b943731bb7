import { registerWasmKernels } from '../wasm/kernels';
import { registerWebgpuKernels } from '../webgpu/kernels';

/**
 * TabTune's own kernels (core/wasm, core/webgpu) put into TF.js's kernel registry, once: what `chooseBackend`
 * does before a backend starts, and what a script or test that sets a backend itself calls first. Importing the
 * model registers nothing (the model's ops ask `hasKernel` and fall back to TF.js's composites).
 */
export function registerKernels(): void {
  registerWasmKernels();
  registerWebgpuKernels();
}
