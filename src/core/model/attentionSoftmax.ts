import * as tf from '@tensorflow/tfjs';
import { hasKernel, runKernel } from '../kernelRegistry';
import { ATTENTION_SOFTMAX, ATTENTION_SOFTMAX_GRAD } from '../webgpu/attentionSoftmax';

/**
 * Attention's probabilities from its raw scores q·kᵀ: softmax(scores / divisor + mask) over the keys, the mask
 * additive (0 where attended, a large negative number at padding) and one row per batch entry. Its gradient
 *   ∂scores = y·(dy − Σ dy·y) / divisor   (the sum over the keys)
 * does not flow to the mask, which is made from the input, not learned. WebGPU runs it as one WGSL kernel forward
 * and one backward (webgpu/attentionSoftmax.ts); every other backend as TF.js's div, add and softmax.
 * scores: [B, nh, T, T]; mask: [B, 1, 1, T].
 */
export function attentionSoftmax(scores: tf.Tensor4D, mask: tf.Tensor4D, divisor: number): tf.Tensor4D {
  if (!hasKernel(ATTENTION_SOFTMAX) || scores.dtype !== 'float32')
    return tf.softmax(scores.div(divisor).add(mask)) as tf.Tensor4D;
  const [b, nh, t, keys] = scores.shape;
  const flatMask = mask.reshape([b, keys]);
  const attrs = { divisor, rowsPerBatch: nh * t };
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [s, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const probs = runKernel<tf.Tensor>(
      ATTENTION_SOFTMAX,
      { scores: s.reshape([-1, keys]), mask: flatMask },
      attrs,
    );
    save([probs]);
    return {
      value: probs.reshape(scores.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        runKernel<tf.Tensor>(
          ATTENTION_SOFTMAX_GRAD,
          { probs: saved[0] as tf.Tensor, dy: dy.reshape([-1, keys]) },
          attrs,
        ).reshape(scores.shape),
      ],
    };
  });
  return f(scores) as tf.Tensor4D;
}
