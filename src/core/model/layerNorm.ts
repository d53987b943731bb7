import * as tf from '@tensorflow/tfjs';
import { hasKernel } from '../kernelRegistry';
import { LAYER_NORM, webgpuLayerNorm } from '../webgpu/layerNorm';
import { columnSums } from './matmul';

/**
 * LayerNorm over the last dimension, y = x̂·γ + β with x̂ = (x − mean) / √(var + ε), as one op with its
 * closed-form gradient (the same maths as autodiff through tf.moments, in fewer kernels and without keeping
 * the moments' intermediates):
 *   ∂β = Σ dy,  ∂γ = Σ dy·x̂   (over every row),
 *   ∂x = (g − mean(g) − x̂·mean(g·x̂)) / √(var + ε),  with g = dy·γ   (means over the last dimension).
 * x: [..., H]; gamma, beta: [H]. WebGPU runs it as WGSL kernels of our own (webgpu/webgpuKernels.ts: five
 * dispatches a forward and backward pass instead of ~20); every other backend as a composite of TF.js ops.
 */
export function layerNorm<R extends tf.Rank>(
  x: tf.Tensor<R>,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): tf.Tensor<R> {
  if (hasKernel(LAYER_NORM) && x.dtype === 'float32') {
    const h = x.shape.at(-1) as number;
    const flat = x.reshape([-1, h]) as tf.Tensor2D;
    return webgpuLayerNorm(flat, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps).reshape(x.shape);
  }
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const centred = input.sub(tf.mean(input, -1, true));
    const rstd = tf.rsqrt(tf.mean(centred.square(), -1, true).add(eps)); // [..., 1]
    const xhat = centred.mul(rstd);
    save([xhat, rstd, g]);
    return {
      value: xhat.mul(g).add(b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sr, sg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const h = sg.shape[0] as number;
        const gy = dy.mul(sg);
        const dx = gy
          .sub(tf.mean(gy, -1, true))
          .sub(sx.mul(tf.mean(gy.mul(sx), -1, true)))
          .mul(sr);
        const dGamma = columnSums(dy.mul(sx).reshape([-1, h]) as tf.Tensor2D);
        const dBeta = columnSums(dy.reshape([-1, h]) as tf.Tensor2D);
        return [dx, dGamma, dBeta];
      },
    };
  });
  return f(x, gamma, beta) as tf.Tensor<R>;
}
