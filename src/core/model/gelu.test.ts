import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { gelu } from './gelu';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

// The fused GELU and its closed-form derivative against autodiff through the erf composite, from −8 to 8
// (the tails, where φ underflows, included).
describe.each(['cpu', 'wasm'])('gelu on %s', (backend) => {
  it('value and gradient within 1e-5 of the composite x·½(1 + erf(x/√2))', async () => {
    await tf.setBackend(backend);
    const x = tf.linspace(-8, 8, 2001);
    const w = tf.randomNormal([2001], 0, 1, 'float32', 7);
    const composite = (t: tf.Tensor) => t.mul(tf.erf(t.mul(Math.SQRT1_2)).add(1)).mul(0.5);
    const loss = (f: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(f(t), w));
    const [ours] = tf.grads(loss(gelu))([x]);
    const [theirs] = tf.grads(loss(composite))([x]);
    expect(maxDiff(gelu(x), composite(x))).toBeLessThan(1e-5);
    expect(maxDiff(ours!, theirs!)).toBeLessThan(1e-5);
    tf.dispose([x, w, ours!, theirs!]);
  });
});
