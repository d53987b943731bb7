import * as tf from '@tensorflow/tfjs';
import { prefersPlainMatMul } from '../backend';

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

/** The last two dimensions swapped, as a real (copied) transpose. */
function swapLast<R extends tf.Rank>(x: tf.Tensor<R>): tf.Tensor<R> {
  const perm = x.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [perm[n - 1] as number, perm[n - 2] as number];
  return tf.transpose(x, perm);
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
      value: tf.matMul(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [tf.Tensor, tf.Tensor];
        return [tf.matMul(dy, swapLast(sy)), tf.matMul(swapLast(sx), dy)];
      },
    };
  });
  return f(a, b) as tf.Tensor<R>;
}
