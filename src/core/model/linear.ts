import * as tf from '@tensorflow/tfjs';
import { columnSums, product2d, productBT, productTA } from './matmul';

/**
 * A linear layer, y = x·Wᵀ + b with W stored [out, in] as in PyTorch, as one op with its gradients:
 *   ∂x = dy·W,   ∂W = dyᵀ·x,   ∂b = Σ dy (over the rows).
 * The same maths as autodiff through matMul and add; written out so that each product and the bias sum
 * takes the backend's fast form (matmul.ts) — on WASM plain products and the bias sum as a product.
 * x: [n, in]; w: [out, in]; b: [out].
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, weight, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([input, weight]);
    return {
      value: productBT(input, weight).add(bias),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        return [product2d(g, sw), productTA(g, sx), columnSums(g)];
      },
    };
  });
  return f(x, w, b) as tf.Tensor2D;
}

/** y = x·Wᵀ without a bias (LoRA's two products), with the same fast products and gradients as `linear`. */
export function linearNoBias(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, weight, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([input, weight]);
    return {
      value: productBT(input, weight),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        return [product2d(g, sw), productTA(g, sx)];
      },
    };
  });
  return f(x, w) as tf.Tensor2D;
}

/**
 * `linear` with W and b frozen (LoRA's base layers): only ∂x is computed. Through `linear`, autodiff would also
 * form ∂W = dyᵀ·x for every frozen layer — a full weight-sized product per layer per step, then thrown away.
 */
export function linearFrozen(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input] = args as [tf.Tensor2D, tf.GradSaveFunc];
    return {
      value: productBT(input, w).add(b),
      gradFunc: (dy: tf.Tensor) => [product2d(dy as tf.Tensor2D, w)],
    };
  });
  return f(x) as tf.Tensor2D;
}
