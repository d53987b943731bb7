import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { CHECK_NAMES, runChecks } from './checks';

// The checks page's checks (WebGPU runs them in e2e/checks.spec.ts), here on the backends Node has.
describe.each(['cpu', 'wasm'])('numerical checks on %s', (backend) => {
  it('every op and kernel matches its composite within the tolerance', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const results = await runChecks();
    expect(results.map((r) => r.name)).toEqual(CHECK_NAMES);
    for (const r of results)
      expect({ name: r.name, ok: r.ok, backend: r.backend }).toEqual({ name: r.name, ok: true, backend });
    expect(tf.memory().numTensors).toBe(before);
  });
});
