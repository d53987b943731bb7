import * as tf from '@tensorflow/tfjs';
import { prefersPlainMatMul } from '../backend';
import { COLUMN_SUMS, hasKernel, runKernel } from '../kernelRegistry';
import {
  SLICED_BATCH_MAT_MUL,
  slicedBatchMatMul3d,
  TRANSPOSE_2D,
  wasmTranspose2d,
} from '../wasm/wasmKernels';

/**
 * Matrix products for the model, batched over leading dimensions: `matMul(a, b)` = a·b and
 * `matMulBT(a, b)` = a·bᵀ. Where the backend is slow with transposed operands (backend.ts), they run as
 * plain products with explicit transposes, in the forward pass and in the gradients (`plainMatMul`);
 * elsewhere they are TF.js's own. Same values either way, up to float rounding.
 */
export function matMul<R extends tf.Rank>(a: tf.Tensor<R>, b: tf.Tensor<R>): tf.Tensor<R> {
  return prefersPlainMatMul(tf.getBackend())
    ? plainMatMul(a, b)
    : (tf.matMul(a as tf.Tensor, b as tf.Tensor) as tf.Tensor<R>);
}

export function matMulBT<R extends tf.Rank>(a: tf.Tensor<R>, b: tf.Tensor<R>): tf.Tensor<R> {
  return prefersPlainMatMul(tf.getBackend())
    ? plainMatMul(a, swapLast(b))
    : (tf.matMul(a as tf.Tensor, b as tf.Tensor, false, true) as tf.Tensor<R>);
}

/**
 * a·b whose gradients are plain products too: ∂a = dy·bᵀ and ∂b = aᵀ·dy, each with an explicit transpose
 * (autodiff's own would pass transposeA / transposeB flags to the kernel).
 */
export function plainMatMul<R extends tf.Rank>(a: tf.Tensor<R>, b: tf.Tensor<R>): tf.Tensor<R> {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([x, y]);
    return {
      value: product(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [tf.Tensor, tf.Tensor];
        return [product(dy, swapLast(sy)), product(swapLast(sx), dy)];
      },
    };
  });
  return f(a, b) as tf.Tensor<R>;
}

// --- Products without gradients, for the bodies of ops with their own (linear.ts, layerNorm.ts) ---

/** a·bᵀ for 2-D operands, in the backend's fast form. */
export function productBT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return prefersPlainMatMul(tf.getBackend())
    ? (product(a, swapLast(b)) as tf.Tensor2D)
    : tf.matMul(a, b, false, true);
}

/** a·b for 2-D operands. */
export function product2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return product(a, b) as tf.Tensor2D;
}

/**
 * aᵀ·b for 2-D operands (a weight gradient: [n, p]ᵀ·[n, q]). With plain products one operand is transposed
 * and the other becomes XNNPACK's packed "weights"; packing [n, w] costs about twice what our transpose of it
 * does (~9 against ~4.4 ns a value), so the wider operand is transposed and the narrower packed — as
 * (bᵀ·a)ᵀ when b is the wider, whose result [q, p] is small to transpose back.
 */
export function productTA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!prefersPlainMatMul(tf.getBackend())) return tf.matMul(a, b, true, false);
  return (a.shape[1] as number) >= (b.shape[1] as number)
    ? (product(swapLast(a), b) as tf.Tensor2D)
    : swapLast(product(swapLast(b), a) as tf.Tensor2D);
}

/** Σ over the rows of x [n, c] → [c]: our own kernel on WASM and WebGPU (wasm/, webgpu/webgpuKernels.ts), else tf.sum. */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  return hasKernel(COLUMN_SUMS) && x.dtype === 'float32'
    ? runKernel<tf.Tensor1D>(COLUMN_SUMS, { x })
    : tf.sum(x, 0);
}

/** The last two dimensions swapped, as a real (copied) transpose. */
function swapLast<R extends tf.Rank>(x: tf.Tensor<R>): tf.Tensor<R> {
  if (x.rank === 2 && x.dtype === 'float32' && hasKernel(TRANSPOSE_2D)) {
    return wasmTranspose2d(x as tf.Tensor2D) as tf.Tensor as tf.Tensor<R>;
  }
  const perm = x.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [perm[n - 1] as number, perm[n - 2] as number];
  return tf.transpose(x, perm);
}

/**
 * A plain product. On WASM a product with a real batch (attention's) runs one XNNPACK product per batch
 * entry (`wasm/wasmKernels.ts`), since TF.js's own takes a scalar loop for it; anything else is TF.js's.
 */
function product(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const batch = a.shape.slice(0, -2);
  const sameBatch = batch.length === b.rank - 2 && batch.every((d, i) => d === b.shape[i]);
  const n = batch.reduce((x, y) => x * y, 1);
  if (!hasKernel(SLICED_BATCH_MAT_MUL) || !sameBatch || n < 2 || a.dtype !== 'float32')
    return tf.matMul(a, b);
  const [m, k] = a.shape.slice(-2) as [number, number];
  const p = b.shape.at(-1) as number;
  return tf.tidy(() =>
    slicedBatchMatMul3d(a.reshape([n, m, k]), b.reshape([n, k, p])).reshape([...batch, m, p]),
  );
}
