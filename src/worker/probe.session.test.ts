import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/config';
import type { CallType, Params, Reply, WorkerEvent } from '../shared/protocol';
import { Session } from './session';

/** A fresh Session and its calls, the events each call streamed kept in order. */
function worker() {
  const session = new Session();
  const events: WorkerEvent[] = [];
  let id = 1;
  const call = <K extends CallType>(type: K, params: Params<K>) =>
    session.handle({ type, id: id++, params } as never, (e) => events.push(e)) as Promise<Reply<K>>;
  return { call, events };
}

describe('the probe and the backend decision in the Worker', () => {
  it('times the asked steps of a job on its backend, one event a step, and leaves no tensor behind', async () => {
    tf.env().set('PROD', true);
    const { call, events } = worker();
    const report = await call('init', { backends: ['cpu'] });
    expect(report).toMatchObject({ backend: 'cpu', device: null });
    const before = tf.memory().numTensors;
    const job = {
      layers: 1,
      hidden: 16,
      heads: 2,
      intermediate: 32,
      vocab: 50,
      batchSize: 4,
      seqLen: 8,
      lora: null,
    };
    await call('probe', { job, batches: [job.batchSize, job.batchSize, job.batchSize] });
    const steps = events.filter((e) => e.type === 'probeStep');
    expect(steps).toHaveLength(3);
    for (const e of steps) expect(e.type === 'probeStep' && e.step.ms).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    // A scout: steps of 1 and 2 examples, one model for each size, every one freed.
    await call('probe', { job, batches: [1, 1, 2, 2] });
    expect(events.filter((e) => e.type === 'probeStep')).toHaveLength(7);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a run says how its backend was chosen: first in its log, and in its export', async () => {
    const { call, events } = worker();
    await call('init', { backends: ['cpu'] });
    await call('table', { file: 's.csv', blob: new Blob([sampleCsv(60, 2)]) });
    const roles = { text: 'review', pair: null, label: 'rating', group: null };
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      epochs: 1,
      batchSize: 16,
      maxLength: 16,
      classicalBaseline: false,
    };
    await call('start', {
      config,
      roles,
      base: 'scratch',
      backendDecision: { how: 'chosen', backend: 'cpu' },
    });
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(logs[0]).toBe('Backend: cpu, chosen by hand (no measurement).');
    const { zip } = await call('export', {});
    const files = unzipSync(zip);
    const saved = JSON.parse(strFromU8(files['tabtune-model/training_config.json']!));
    expect(saved.backend_decision).toBe('cpu, chosen by hand (no measurement)');
    expect(strFromU8(files['tabtune-model/README.md']!)).toContain(
      'Backend: cpu, chosen by hand (no measurement).',
    );
  });
});
