import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddingLookup } from './embedding';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['cpu', 'wasm'])('embeddingLookup gradient on %s', (backend) => {
  it('scatter-adds the upstream gradient into the looked-up rows (repeated ids add up)', async () => {
    await tf.setBackend(backend);
    const table = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const ids = tf.tensor2d([[2, 0, 2]], undefined, 'int32');
    const weights = tf.tensor3d([
      [
        [1, 10],
        [100, 1000],
        [2, 20],
      ],
    ]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(embeddingLookup(t as tf.Tensor2D, ids).mul(weights)))(table);
    expect(Array.from(g.dataSync())).toEqual([100, 1000, 0, 0, 3, 30]);
    expect(Array.from(embeddingLookup(table, ids).dataSync())).toEqual([5, 6, 1, 2, 5, 6]);
  });
});
