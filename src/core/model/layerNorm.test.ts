import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { layerNorm } from './layerNorm';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

/** The composite this op replaces: tf.moments, then scale and shift, differentiated by autodiff. */
function composite(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x
    .sub(mean)
    .mul(tf.rsqrt(variance.add(eps)))
    .mul(gamma)
    .add(beta);
}

describe.each(['cpu', 'wasm'])('layerNorm (closed-form gradient) on %s', (backend) => {
  it.each([
    ['[B, T, H] = [3, 5, 16], eps 1e-12', [3, 5, 16], 1e-12],
    ['[N, H] = [7, 32], eps 1e-5', [7, 32], 1e-5],
  ])(
    '%s: value and all three gradients equal autodiff of the composite within 1e-5',
    async (_, shape, eps) => {
      await tf.setBackend(backend);
      const s = shape as number[];
      const h = s.at(-1) as number;
      const x = tf.randomNormal(s, 0.5, 2, 'float32', 1);
      const gamma = tf.randomNormal([h], 1, 0.3, 'float32', 2);
      const beta = tf.randomNormal([h], 0, 0.3, 'float32', 3);
      const w = tf.randomNormal(s, 0, 1, 'float32', 4); // weights every output differently
      const loss = (f: typeof composite) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(f(a, g, b, eps as number), w));
      const ours = tf.grads(loss(layerNorm))([x, gamma, beta]);
      const theirs = tf.grads(loss(composite))([x, gamma, beta]);
      expect(
        maxDiff(layerNorm(x, gamma, beta, eps as number), composite(x, gamma, beta, eps as number)),
      ).toBeLessThan(1e-5);
      ours.forEach((g, i) => expect(maxDiff(g, theirs[i]!)).toBeLessThan(1e-5));
      tf.dispose([x, gamma, beta, w, ...ours, ...theirs]);
    },
  );
});
