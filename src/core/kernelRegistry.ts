import * as tf from '@tensorflow/tfjs';

/*
 * TabTune's own kernels, in one place: the names the WASM and WebGPU implementations share (wasm/ and
 * webgpu/webgpuKernels.ts register under them), how a kernel is registered, and the one rule the model's ops
 * follow — run our kernel where the active backend has one, TF.js's composite elsewhere (`hasKernel`).
 */

/** One AdamW update of one tensor: inputs p, m, v, g, scale, ok; outputs [p1, m1, v1]. */
export const ADAMW = 'TabTuneAdamW';
/** Σ over the rows of a float32 [n, c] → [c] (a bias gradient). */
export const COLUMN_SUMS = 'TabTuneColumnSums';
/** A dropout mask (model/dropoutMask.ts) of attrs { shape, rate, seed }. */
export const DROPOUT_MASK = 'TabTuneDropoutMask';

/** The scalars of one AdamW update of one tensor (adamw.ts computes them). */
export interface AdamWUpdate {
  beta1: number;
  beta2: number;
  epsilon: number;
  lr: number;
  /** 1 − lr·weight decay, or 1 for a parameter without decay. */
  decay: number;
  /** Bias corrections 1 − β1ᵗ and 1 − β2ᵗ. */
  bc1: number;
  bc2: number;
}

/** Registers one of our kernels for a backend. */
export function registerKernelFor(
  backendName: 'wasm' | 'webgpu',
  kernelName: string,
  kernelFunc: unknown,
): void {
  tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFunc as tf.KernelFunc });
}

/** Whether the active backend has this kernel (ours are registered for WASM, WebGPU or both). */
export function hasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** Runs a kernel on the active backend. */
export function runKernel<T extends tf.Tensor | tf.Tensor[]>(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: object = {},
): T {
  return tf.engine().runKernel(kernelName, inputs, attrs as tf.NamedAttrMap) as unknown as T;
}
