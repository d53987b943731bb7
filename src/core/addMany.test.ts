import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ADD_N_MAX_INPUTS, addMany } from './addMany';

describe('addMany', () => {
  it('sums any number of tensors, each AddN taking at most the inputs every backend can bind', async () => {
    await tf.setBackend('cpu');
    // AddNs of a tree of groups of 7: 8 → 7 + 1 → 2 → 1 (2 AddNs); 41 → 6 groups → 1 (7); 50 → 8 → 2 → 1 (9).
    const addNsFor: Record<number, number> = { 1: 0, 2: 1, 7: 1, 8: 2, 41: 7, 50: 9 };
    for (const n of [1, 2, 7, 8, 41, 50]) {
      const parts = Array.from({ length: n }, (_, i) => tf.randomNormal([4, 3], 0, 1, 'float32', i + 1));
      const profile = await tf.profile(() => addMany(parts));
      const want = parts.reduce((a, b) => tf.add(a, b));
      const sum = profile.result as tf.Tensor;
      expect(Math.max(...(await tf.abs(tf.sub(sum, want)).data()))).toBeLessThan(1e-5);
      const addNs = profile.kernels.filter((k) => k.name === 'AddN');
      for (const k of addNs) expect(k.inputShapes.length).toBeLessThanOrEqual(ADD_N_MAX_INPUTS);
      expect({ n, addNs: addNs.length }).toEqual({ n, addNs: addNsFor[n] });
      tf.dispose([...parts, want, sum]);
    }
  });

  it('leaks no tensor and keeps its inputs', () => {
    const parts = Array.from({ length: 20 }, () => tf.ones([2]));
    const before = tf.memory().numTensors;
    const sum = addMany(parts);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(Array.from(sum.dataSync())).toEqual([20, 20]);
    tf.dispose([...parts, sum]);
  });

  it('refuses an empty list', () => {
    expect(() => addMany([])).toThrow('addMany needs at least one tensor');
  });
});
