import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendName } from '../backend';
import { measureBackends, SOFTWARE_NOT_TIMED, timeThreads, type StartProbe } from './measure';
import type { BackendMeasurement, ProbeJob, ProbeResult } from './probe';

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

/**
 * A fake Worker per backend: it starts after `start` ms (a software GPU when `software`), then, once let go, takes
 * each of `steps` ms; 'fail' rejects at start.
 */
function fakeProbes(
  plans: Partial<Record<BackendName, { start: number; steps: number[]; software?: boolean } | 'fail'>>,
) {
  const log: string[] = [];
  const start: StartProbe = (backend, _job, batches, events, go) => {
    const count = batches.length;
    const plan = plans[backend]!;
    let stopped = false;
    log.push(`start ${backend} at ${Date.now()}`);
    const done = new Promise<void>((resolve, reject) => {
      if (plan === 'fail') return setTimeout(() => reject(new Error(`${backend} could not start`)), 100);
      setTimeout(() => {
        if (stopped) return;
        events.started(plan.start, {
          software: plan.software ?? false,
          threads: backend === 'wasm' ? 1 : null,
        });
        void go.then((ok) => {
          if (!ok) return resolve();
          log.push(`time ${backend} at ${Date.now()}`);
          let t = 0;
          plan.steps.slice(0, count).forEach((ms, i) => {
            t += ms;
            setTimeout(() => {
              if (stopped) return;
              events.step({ ms, bytes: 1000 * (i + 1) });
              if (i === count - 1) resolve();
            }, t);
          });
        });
      }, plan.start);
    });
    return { done, stop: () => ((stopped = true), log.push(`stop ${backend} at ${Date.now()}`)) };
  };
  return { start, log };
}

async function measured(
  plans: Parameters<typeof fakeProbes>[0],
  candidates: BackendName[] = ['webgpu', 'webgl', 'wasm'],
) {
  const { start, log } = fakeProbes(plans);
  const p = measureBackends(JOB, candidates, ORDER, start, { now: () => Date.now() });
  await vi.advanceTimersByTimeAsync(20_000);
  const r = await p;
  return { r, log, of: (b: BackendName) => r.measurements.find((m) => m.backend === b)! };
}

describe('measureBackends', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('starts every Worker at once, times WASM alone, then stops a GPU whose first step outlasts the window; WASM wins', async () => {
    const { r, log, of } = await measured({
      wasm: { start: 500, steps: [1900, 1200] },
      webgpu: { start: 400, steps: [50_000, 50_000] },
      webgl: 'fail',
    });
    expect(log.slice(0, 3)).toEqual(['start wasm at 0', 'start webgpu at 0', 'start webgl at 0']);
    expect(log).toContain('time wasm at 500'); // the reference is timed alone …
    expect(log).toContain('time webgpu at 3600'); // … the others once it has finished
    expect(of('webgpu').status).toBe('stopped');
    expect(of('webgpu').note).toMatch(/first step was still running after 2\.\d s/);
    expect(log.find((l) => l.startsWith('stop webgpu'))).toMatch(/at 5[67]\d\d/); // 3.6 s + the 2 s window
    expect(of('webgpu').examplesPerSecond).toBeCloseTo(16, 0); // at most one batch of 32 in 2 s
    expect(of('webgl')).toMatchObject({ status: 'failed', note: 'webgl could not start' });
    expect(of('wasm')).toMatchObject({
      status: 'measured',
      startMs: 500,
      firstStepMs: 1900,
      stepMs: 1200,
      bytes: 2000,
    });
    expect(r.chosen).toBe('wasm');
    expect(r.totalMs).toBeLessThan(6000);
  });

  it('does not time a software GPU once WASM was measured: the probe ends with WASM', async () => {
    const { r, log, of } = await measured({
      wasm: { start: 500, steps: [1900, 1200] },
      webgpu: { start: 400, steps: [50_000, 50_000], software: true },
      webgl: { start: 300, steps: [40_000, 40_000], software: true },
    });
    expect(log.filter((l) => l.startsWith('time'))).toEqual(['time wasm at 500']);
    for (const b of ['webgpu', 'webgl'] as const)
      expect(of(b)).toMatchObject({
        status: 'not timed',
        note: SOFTWARE_NOT_TIMED,
        examplesPerSecond: null,
        firstStepMs: null,
      });
    expect(r.chosen).toBe('wasm');
    expect(r.totalMs).toBeLessThan(3800); // WASM's 3.6 s, nothing after it
  });

  it('times a software GPU where WASM could not be measured', async () => {
    const { r, of } = await measured({
      wasm: 'fail',
      webgpu: { start: 400, steps: [900, 300], software: true },
    });
    expect(of('webgpu')).toMatchObject({ status: 'measured', stepMs: 300 });
    expect(r.chosen).toBe('webgpu');
  });

  it('stops a backend that has not started when its window is over, and says so', async () => {
    const { of } = await measured({
      wasm: { start: 500, steps: [1900, 1200] },
      webgpu: { start: 15_000, steps: [100, 100] },
    });
    expect(of('webgpu')).toMatchObject({ status: 'stopped', note: 'it had not started after 2.0 s' });
  });

  it('stops a backend as soon as a warm step takes over twice the best one, inside its window', async () => {
    const { of } = await measured({
      wasm: { start: 500, steps: [8000, 1000] },
      webgpu: { start: 400, steps: [300, 2500] },
    });
    expect(of('webgpu')).toMatchObject({ status: 'stopped', note: 'a warm step took 2.5 s, against 1.0 s' });
    expect(of('wasm').status).toBe('measured');
  });

  it('a real GPU that compiles, then steps faster than WASM, is measured and chosen', async () => {
    const { start } = fakeProbes({
      wasm: { start: 500, steps: [1900, 1200] },
      webgpu: { start: 400, steps: [1500, 100] },
    });
    const p = measureBackends(JOB, ['webgpu', 'wasm'], ORDER, start, { now: () => Date.now() });
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

  it('leaves no timer pending once it has decided: each window’s timer is cleared when its race is over', async () => {
    const { start } = fakeProbes({
      wasm: { start: 100, steps: [300, 200] },
      webgpu: { start: 100, steps: [200, 100] },
      webgl: 'fail',
    });
    let decided = false;
    const p = measureBackends(JOB, ['webgpu', 'webgl', 'wasm'], ORDER, start, { now: () => Date.now() });
    void p.then(() => (decided = true));
    while (!decided) await vi.advanceTimersByTimeAsync(10);
    expect((await p).chosen).toBe('webgpu');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('says so when nothing could be measured', async () => {
    const { start } = fakeProbes({ wasm: 'fail', webgpu: 'fail' });
    const p = measureBackends(JOB, ['webgpu', 'wasm'], ORDER, start, { now: () => Date.now() });
    const check = expect(p).rejects.toThrow(
      /no backend could be measured \(wasm: wasm could not start; webgpu: webgpu could not start\)/,
    );
    await vi.advanceTimersByTimeAsync(5000);
    await check;
  });
});

describe('measureBackends ended by its signal', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('stops every probe Worker at once and rejects with the reason (nothing to cache)', async () => {
    const { start, log } = fakeProbes({
      wasm: { start: 500, steps: [1900, 1200] },
      webgpu: { start: 400, steps: [1500, 100] },
    });
    const controller = new AbortController();
    const p = measureBackends(JOB, ['webgpu', 'wasm'], ORDER, start, {
      now: () => Date.now(),
      signal: controller.signal,
    });
    const check = expect(p).rejects.toThrow('Start was pressed');
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort(new Error('Start was pressed'));
    await vi.advanceTimersByTimeAsync(500);
    await check;
    expect(log.filter((l) => l.startsWith('stop')).sort()).toEqual([
      'stop wasm at 1000',
      'stop webgpu at 1000',
    ]);
  });
});

const notTimed: BackendMeasurement = {
  backend: 'webgpu',
  status: 'not timed',
  startMs: 400,
  firstStepMs: null,
  stepMs: null,
  examplesPerSecond: null,
  note: SOFTWARE_NOT_TIMED,
};

/** WASM measured with TF.js's one thread here: the figure a completion starts from. */
const wasmOneThread: BackendMeasurement = {
  ...notTimed,
  backend: 'wasm',
  status: 'measured',
  stepMs: 1200,
  examplesPerSecond: 26.7,
  threads: 1,
  note: null,
};

describe('timeThreads: WASM with more threads, while the page is idle', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('times WASM with each more thread count asked, on the job itself; a faster count is chosen', async () => {
    const result: ProbeResult = {
      job: JOB,
      measurements: [wasmOneThread],
      chosen: 'wasm',
      threads: 1,
      totalMs: 3600,
    };
    const asked: Array<number | null | undefined> = [];
    const start: StartProbe = (backend, _job, batches, events, go, wasmThreads) => {
      asked.push(wasmThreads);
      const done = (async () => {
        events.started(400, { software: false, threads: wasmThreads ?? 1 });
        if (!(await go)) return;
        for (const ms of [900, 700].slice(0, batches.length)) events.step({ ms });
      })();
      return { done, stop: () => undefined };
    };
    const updates: ProbeResult[] = [];
    const p = timeThreads(result, start, (r) => updates.push(r), { order: ORDER, threads: [2] });
    await vi.advanceTimersByTimeAsync(5000);
    const done = await p;
    expect(asked).toEqual([2]);
    expect(done.measurements[1]).toMatchObject({
      backend: 'wasm',
      status: 'measured',
      threads: 2,
      stepMs: 700,
    });
    expect(done).toMatchObject({ chosen: 'wasm', threads: 2 });
    expect(updates).toHaveLength(1);
    // Asked again, a count timed before is not timed twice.
    await timeThreads(done, start, () => undefined, { order: ORDER, threads: [2] });
    expect(asked).toEqual([2]);
  });
});
