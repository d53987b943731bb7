import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { linear } from './linear';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

// The linear op and its three gradients against autodiff through TF.js's matMul + add (the composite).
// Both shapes (wider out than in, and the reverse) so that productTA's two forms both run.
describe.each(['cpu', 'wasm'])('linear on %s', (backend) => {
  it.each([
    ['[50, 12] → 20 (out wider)', 50, 12, 20],
    ['[50, 20] → 12 (in wider)', 50, 20, 12],
  ])('%s: value and the gradients of x, W and b within 1e-5', async (_, n, inDim, outDim) => {
    await tf.setBackend(backend);
    const x = tf.randomNormal([n, inDim], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([outDim, inDim], 0, 1, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([outDim], 0, 1, 'float32', 3) as tf.Tensor1D;
    const weights = tf.randomNormal([n, outDim], 0, 1, 'float32', 4);
    const composite = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.matMul(xi, wi, false, true).add(bi);
    const ours = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
      linear(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D);
    const loss = (f: typeof composite) => (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
      tf.sum(tf.mul(f(xi, wi, bi), weights));
    const got = tf.grads(loss(ours))([x, w, b]);
    const want = tf.grads(loss(composite))([x, w, b]);
    expect(maxDiff(ours(x, w, b), composite(x, w, b))).toBeLessThan(1e-5);
    for (let i = 0; i < 3; i++) expect(maxDiff(got[i]!, want[i]!)).toBeLessThan(1e-5);
    tf.dispose([x, w, b, weights, ...got, ...want]);
  });
});
