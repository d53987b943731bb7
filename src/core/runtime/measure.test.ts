import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendName } from '../backend';
import { measureBackends, type StartProbe } from './measure';
import { PROBE_SETTINGS, type ProbeJob } from './probe';

const JOB: ProbeJob = {
  layers: 2,
  hidden: 128,
  heads: 2,
  intermediate: 512,
  vocab: 8000,
  batchSize: 32,
  seqLen: 128,
  lora: null,
};
const ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** A fake Worker per backend: it starts after `start` ms, then takes each of `steps` ms; 'fail' rejects at start. */
function fakeProbes(plans: Partial<Record<BackendName, { start: number; steps: number[] } | 'fail'>>) {
  const log: string[] = [];
  const start: StartProbe = (backend, _job, count, events) => {
    const plan = plans[backend]!;
    let stopped = false;
    log.push(`start ${backend} at ${Date.now()}`);
    const done = new Promise<void>((resolve, reject) => {
      if (plan === 'fail') return setTimeout(() => reject(new Error(`${backend} could not start`)), 100);
      let t = plan.start;
      setTimeout(() => !stopped && events.started(plan.start), t);
      plan.steps.slice(0, count).forEach((ms, i) => {
        t += ms;
        setTimeout(() => {
          if (stopped) return;
          events.step({ ms, bytes: 1000 * (i + 1) });
          if (i === count - 1) resolve();
        }, t);
      });
    });
    return { done, stop: () => ((stopped = true), log.push(`stop ${backend} at ${Date.now()}`)) };
  };
  return { start, log };
}

describe('measureBackends', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('times WASM alone, then stops a software GPU whose first step outlasts the window; WASM wins', async () => {
    const { start, log } = fakeProbes({
      wasm: { start: 500, steps: [1900, 1200] },
      webgpu: { start: 400, steps: [50_000, 50_000] },
      webgl: 'fail',
    });
    const p = measureBackends(JOB, ['webgpu', 'webgl', 'wasm'], ORDER, start, PROBE_SETTINGS, () =>
      Date.now(),
    );
    await vi.advanceTimersByTimeAsync(20_000);
    const r = await p;
    expect(log[0]).toBe('start wasm at 0'); // the reference first, alone
    expect(log).toContain('start webgpu at 3600');
    const webgpu = r.measurements.find((m) => m.backend === 'webgpu')!;
    expect(webgpu.status).toBe('stopped');
    expect(webgpu.note).toMatch(/first step was still running after 2\.\d s/);
    expect(log.find((l) => l.startsWith('stop webgpu'))).toMatch(/at 5[67]\d\d/); // 3.6 s + the 2 s window
    expect(r.measurements.find((m) => m.backend === 'webgl')).toMatchObject({
      status: 'failed',
      note: 'webgl could not start',
    });
    expect(r.measurements.find((m) => m.backend === 'wasm')).toMatchObject({
      status: 'measured',
      startMs: 500,
      firstStepMs: 1900,
      stepMs: 1200,
      bytes: 2000,
    });
    expect(r.chosen).toBe('wasm');
    expect(r.totalMs).toBeLessThan(6000);
  });

  it('a real GPU that compiles, then steps faster than WASM, is measured and chosen', async () => {
    const { start } = fakeProbes({
      wasm: { start: 500, steps: [1900, 1200] },
      webgpu: { start: 400, steps: [1500, 100] },
    });
    const p = measureBackends(JOB, ['webgpu', 'wasm'], ORDER, start, PROBE_SETTINGS, () => Date.now());
    await vi.advanceTimersByTimeAsync(20_000);
    const r = await p;
    expect(r.measurements.find((m) => m.backend === 'webgpu')).toMatchObject({
      status: 'measured',
      firstStepMs: 1500,
      stepMs: 100,
      examplesPerSecond: 320,
    });
    expect(r.chosen).toBe('webgpu');
  });

  it('says so when nothing could be measured', async () => {
    const { start } = fakeProbes({ wasm: 'fail', webgpu: 'fail' });
    const p = measureBackends(JOB, ['webgpu', 'wasm'], ORDER, start, PROBE_SETTINGS, () => Date.now());
    const check = expect(p).rejects.toThrow(
      /no backend could be measured \(wasm: wasm could not start; webgpu: webgpu could not start\)/,
    );
    await vi.advanceTimersByTimeAsync(5000);
    await check;
  });
});
