import type { BackendName } from '../core/backend';
import { measureBackends, timeThreads, type StartProbe } from '../core/runtime/measure';
import { moreThreads, probeCandidates, type ProbeJob, type ProbeResult } from '../core/runtime/probe';
import { WorkerClient } from './workerClient';

/**
 * A probe of one backend in a fresh compute Worker of its own: started at once, timed when `go` says so; `stop`
 * terminates it. WebGPU where the browser has none fails without a Worker.
 */
export const startProbe: StartProbe = (backend, job, batches, events, go, wasmThreads) => {
  if (backend === 'webgpu' && !('gpu' in navigator))
    return { done: Promise.reject(new Error('not available in this browser')), stop: () => undefined };
  const client = new WorkerClient(
    new Worker(new URL('../worker/compute.worker.ts', import.meta.url), { type: 'module' }),
  );
  let stopped = false;
  const t0 = performance.now();
  const done = (async () => {
    try {
      const report = await client.call('init', {
        backends: [backend],
        ...(wasmThreads ? { wasmThreads } : {}),
      });
      events.started(performance.now() - t0, {
        software: report.device?.software ?? false,
        threads: report.threads,
      });
      if (!(await go) || stopped) return;
      await client.call(
        'probe',
        { job, batches: [...batches] },
        { onEvent: (e) => e.type === 'probeStep' && events.step(e.step) },
      );
    } finally {
      if (!stopped) client.terminate();
    }
  })();
  return {
    done,
    stop: () => {
      stopped = true;
      client.terminate();
    },
  };
};

/** The WASM thread counts not yet timed for `result` that could run here (`moreThreads`). */
export function threadsToTime(result: ProbeResult): number[] {
  const wasm = result.measurements.find((m) => m.backend === 'wasm' && m.status === 'measured');
  return moreThreads(wasm?.threads ?? null, navigator.hardwareConcurrency, self.crossOriginIsolated).filter(
    (t) => !result.measurements.some((m) => m.backend === 'wasm' && m.threads === t),
  );
}

/**
 * The job timed over `order` as the studio times it, at Start and then while idle (WASM's thread counts),
 * fresh (no cache): the figures `npm run bench` and the GPU report give.
 */
export async function measureFully(job: ProbeJob, order: readonly BackendName[]): Promise<ProbeResult> {
  const first = await measureBackends(job, probeCandidates(order), order, startProbe);
  return timeThreads(first, startProbe, () => undefined, { order, threads: threadsToTime(first) });
}
