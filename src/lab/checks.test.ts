import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { declaredKernels } from './checkPlaces';
import { checksFor, runChecks, runMutations } from './checks';

// The checks page's checks on the backends Node has (WebGPU runs them in e2e/checks.spec.ts), each only where its
// code differs from its reference: on the CPU TabTune has no kernel, so only its own composites are checked there.
describe.each(['cpu', 'wasm'])('numerical checks on %s', (backend) => {
  it('every check whose code is ours here matches its reference, taking exactly the kernels it declares', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const results = await runChecks();
    expect(results.map((r) => r.name)).toEqual(checksFor(backend));
    for (const r of results)
      expect({ name: r.name, ok: r.ok, backend: r.backend, taken: r.taken }).toEqual({
        name: r.name,
        ok: true,
        backend,
        taken: declaredKernels(r.name, backend),
      });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('numerical checks can fail', () => {
  it('on the CPU no check compares TF.js with itself: those whose code is TF.js there do not run', () => {
    expect(checksFor('cpu')).not.toContain('column sums (bias gradients), 3 shapes');
    expect(checksFor('cpu')).not.toContain('dropout mask: equal to the pure function');
    expect(checksFor('wasm')).toContain('column sums (bias gradients), 3 shapes');
  });

  it('on WASM each kernel of ours, written wrong, turns its first check red', async () => {
    await tf.setBackend('wasm');
    const results = await runMutations();
    expect(results.map((r) => r.kernel)).toEqual([
      'TabTuneAdamW',
      'TabTuneColumnSums',
      'TabTuneDropoutMask',
      'TabTuneGatherRows',
      'TabTuneScatterAddRows',
      'TabTuneSlicedBatchMatMul',
      'TabTuneTranspose2d',
    ]);
    for (const r of results)
      expect({ mutation: r.mutation, check: r.name, ok: r.ok, took: r.taken.includes(r.kernel) }).toEqual({
        mutation: r.mutation,
        check: r.name,
        ok: false,
        took: true,
      });
  });
});
