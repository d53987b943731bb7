import { describe, expect, it } from 'vitest';
import {
  bytesHeld,
  choice,
  describeDecision,
  describeMeasurement,
  examplesPerSecond,
  fastest,
  moreThreads,
  probeCandidates,
  probeJobFor,
  probeKey,
  tooSlow,
  warmStepMs,
  type BackendMeasurement,
} from './probe';

const m = (
  backend: BackendMeasurement['backend'],
  eps: number | null,
  status: BackendMeasurement['status'] = 'measured',
): BackendMeasurement => ({
  backend,
  status,
  startMs: 500,
  firstStepMs: 1900,
  stepMs: eps ? (32 * 1000) / eps : null,
  examplesPerSecond: eps,
  note: status === 'measured' ? null : 'why',
});
const ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

describe('probe: which backend wins', () => {
  it('times CPU only where WASM cannot start', () => {
    expect(probeCandidates(ORDER)).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(probeCandidates(['webgpu', 'cpu'])).toEqual(['webgpu', 'cpu']);
  });

  it('keeps the first step (compilation) apart: the median of the warm steps', () => {
    expect(warmStepMs([{ ms: 5000 }])).toBeNull();
    expect(warmStepMs([{ ms: 5000 }, { ms: 300 }])).toBe(300);
    expect(warmStepMs([{ ms: 5000 }, { ms: 300 }, { ms: 100 }, { ms: 200 }])).toBe(200);
    expect(warmStepMs([{ ms: 5000 }, { ms: 300 }, { ms: 100 }])).toBe(200);
    expect(examplesPerSecond(32, 640)).toBe(50);
  });

  it('picks the fastest measured backend, the preferred one among equals (within 5 %)', () => {
    expect(fastest([m('webgpu', 0.6), m('wasm', 50)], ORDER)!.backend).toBe('wasm');
    expect(fastest([m('wasm', 50), m('webgpu', 120)], ORDER)!.backend).toBe('webgpu');
    expect(fastest([m('wasm', 50), m('webgpu', 51)], ORDER)!.backend).toBe('webgpu');
    expect(fastest([m('webgpu', 50), m('wasm', 52)], ORDER)!.backend).toBe('webgpu');
    expect(fastest([m('webgpu', 50), m('wasm', 53)], ORDER)!.backend).toBe('wasm');
    // A stopped or failed backend never wins, whatever its bound.
    expect(fastest([m('webgpu', 900, 'stopped'), m('wasm', 50)], ORDER)!.backend).toBe('wasm');
    expect(fastest([m('webgpu', null, 'failed')], ORDER)).toBeNull();
  });

  it('stops a backend only once the best has finished, and then when it is clearly slower', () => {
    const best = { totalMs: 3700, stepMs: 1200 };
    expect(tooSlow(60_000, [], null)).toBeNull(); // nothing to compare with yet
    expect(tooSlow(1900, [], best)).toBeNull(); // inside the 2 s window
    expect(tooSlow(2100, [], best)).toMatch(/first step was still running after 2\.1 s/);
    const slow = { totalMs: 10_000, stepMs: 3000 };
    expect(tooSlow(4900, [], slow)).toBeNull(); // half the reference's time
    expect(tooSlow(5100, [{ ms: 4000 }], slow)).toMatch(
      /still running after 5\.1 s, where the fastest finished in 10\.0 s/,
    );
    // A warm step over twice the best's stops it at once.
    expect(tooSlow(100, [{ ms: 50 }, { ms: 2500 }], best)).toMatch(/a warm step took 2\.5 s, against 1\.2 s/);
    expect(tooSlow(100, [{ ms: 50 }, { ms: 2300 }], best)).toBeNull();
  });

  it('caches by device and by every part of the job', () => {
    const job = probeJobFor(
      null,
      { layers: 2, hidden: 128, heads: 2, intermediate: 512, vocabSize: 8000 },
      { batchSize: 32, maxLength: 128, lora: null },
    );
    const key = probeKey(job, 'dev');
    expect(key).toBe('tabtune-probe-v3|dev|2x128/2h/512/v8000|b32|t128|full');
    expect(probeKey({ ...job, batchSize: 16 }, 'dev')).not.toBe(key);
    expect(probeKey({ ...job, seqLen: 64 }, 'dev')).not.toBe(key);
    expect(probeKey(job, 'other')).not.toBe(key);
    expect(probeKey({ ...job, lora: { r: 8, targets: ['value', 'query'] } }, 'dev')).toBe(
      probeKey({ ...job, lora: { r: 8, targets: ['query', 'value'] } }, 'dev'),
    );
    const loaded = probeJobFor(
      { layers: 4, hidden: 256, heads: 4, intermediate: 1024, vocabSize: 30522 },
      { layers: 2, hidden: 128, heads: 2, intermediate: 512, vocabSize: 8000 },
      { batchSize: 8, maxLength: 64, lora: null },
    );
    expect(loaded).toMatchObject({ layers: 4, hidden: 256, vocab: 30522, batchSize: 8, seqLen: 64 });
  });

  it('counts WebGPU memory with its buffer pool, other backends by their tensors', () => {
    expect(bytesHeld({ numBytes: 10, numBytesInGPUAllocated: 300 })).toBe(300);
    expect(bytesHeld({ numBytes: 10 })).toBe(10);
    expect(describeMeasurement({ ...m('webgpu', 120), bytes: 312e6 })).toBe(
      'webgpu 120 examples/s (first step 1.9 s, 312 MB held)',
    );
  });

  it('says each figure, the first step apart, and how the backend was decided', () => {
    expect(describeMeasurement(m('wasm', 26.04))).toBe('wasm 26 examples/s (first step 1.9 s)');
    expect(describeMeasurement(m('webgpu', 0.61))).toBe('webgpu 0.61 examples/s (first step 1.9 s)');
    expect(
      describeMeasurement({
        ...m('webgl', 8.8, 'stopped'),
        note: 'its first step was still running after 3.7 s',
      }),
    ).toBe('webgl stopped: its first step was still running after 3.7 s (under 8.8 examples/s)');
    expect(describeMeasurement({ ...m('webgl', null, 'failed'), note: 'WebGL could not start' })).toBe(
      'webgl failed: WebGL could not start',
    );
    expect(describeMeasurement({ ...m('webgpu', null, 'not timed'), note: 'a software GPU' })).toBe(
      'webgpu not timed: a software GPU',
    );
    const result = {
      job: probeJobFor(
        null,
        { layers: 2, hidden: 128, heads: 2, intermediate: 512, vocabSize: 8000 },
        { batchSize: 32, maxLength: 128, lora: null },
      ),
      measurements: [m('wasm', 26)],
      chosen: 'wasm' as const,
      totalMs: 5700,
    };
    expect(describeDecision({ how: 'measured', result, cached: false })).toBe(
      'wasm, the fastest for this job (measured in 5.7 s: wasm 26 examples/s (first step 1.9 s))',
    );
    expect(describeDecision({ how: 'measured', result, cached: true })).toMatch(
      /measured before on this device for this job/,
    );
    expect(describeDecision({ how: 'chosen', backend: 'webgl' })).toBe(
      'webgl, chosen by hand (no measurement)',
    );
    // WASM's thread counts, where the Worker said them: each figure names its count, and so does the choice.
    const threaded = {
      ...result,
      measurements: [
        { ...m('wasm', 26), threads: 1 },
        { ...m('wasm', 31), threads: 2 },
      ],
      threads: 2,
    };
    expect(describeDecision({ how: 'measured', result: threaded, cached: true })).toBe(
      'wasm (2 threads), the fastest for this job (measured before on this device for this job: wasm (1 thread) 26 examples/s (first step 1.9 s); wasm (2 threads) 31 examples/s (first step 1.9 s))',
    );
  });
});

describe('probe: WASM thread counts', () => {
  it('times every logical core (at most 8) besides the default, where threads run and it is more', () => {
    expect(moreThreads(1, 2, true)).toEqual([2]); // here: 2 cores, TF.js takes 1
    expect(moreThreads(4, 8, true)).toEqual([8]);
    expect(moreThreads(8, 16, true)).toEqual([]); // TF.js's cap already
    expect(moreThreads(1, 2, false)).toEqual([]); // not cross-origin isolated: one thread whatever is asked
    expect(moreThreads(null, 8, true)).toEqual([]); // WASM was not measured
    expect(moreThreads(1, 1, true)).toEqual([]);
  });

  it('chooses among WASM’s counts as among backends: a count must beat the one before it by 5 %', () => {
    const one = { ...m('wasm', 26), threads: 1 };
    expect(choice([one, { ...m('wasm', 31), threads: 2 }], ORDER)).toEqual({ chosen: 'wasm', threads: 2 });
    expect(choice([one, { ...m('wasm', 27), threads: 2 }], ORDER)).toEqual({ chosen: 'wasm', threads: 1 });
    expect(choice([one, { ...m('webgpu', 300), threads: null }], ORDER)).toEqual({
      chosen: 'webgpu',
      threads: null,
    });
    expect(choice([m('wasm', null, 'failed')], ORDER)).toBeNull();
  });
});
