import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { plainMatMul } from './matmul';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

// The plain-operand product and its gradients against TF.js's own matMul (the composite), on each backend
// that runs in Node. A loss that weights every output differently makes every gradient entry matter.
describe.each(['cpu', 'wasm'])('plainMatMul on %s', (backend) => {
  it.each([
    ['2-D, a linear layer [64, 48]·[48, 40]', [64, 48], [48, 40]],
    ['4-D, attention [3, 2, 16, 8]·[3, 2, 8, 16]', [3, 2, 16, 8], [3, 2, 8, 16]],
  ])('%s: value and both gradients within 1e-5', async (_, sa, sb) => {
    await tf.setBackend(backend);
    const a = tf.randomNormal(sa as number[], 0, 1, 'float32', 1);
    const b = tf.randomNormal(sb as number[], 0, 1, 'float32', 2);
    const shape = [...(sa as number[]).slice(0, -1), (sb as number[]).at(-1) as number];
    const w = tf.randomNormal(shape, 0, 1, 'float32', 3);
    const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(f(x, y), w));
    const ours = tf.grads(loss(plainMatMul))([a, b]);
    const theirs = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
    expect(maxDiff(plainMatMul(a, b), tf.matMul(a, b))).toBeLessThan(1e-5);
    expect(maxDiff(ours[0]!, theirs[0]!)).toBeLessThan(1e-5);
    expect(maxDiff(ours[1]!, theirs[1]!)).toBeLessThan(1e-5);
    tf.dispose([a, b, w, ...ours, ...theirs]);
  });
});
