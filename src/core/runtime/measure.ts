import type { BackendName } from '../backend';
import {
  examplesPerSecond,
  fastest,
  PROBE_SETTINGS,
  shouldStop,
  warmStepMs,
  type BackendMeasurement,
  type ProbeJob,
  type ProbeResult,
  type ProbeSettings,
  type ProbeStep,
} from './probe';

/** A probe of one backend, running in its own Worker: `stop` ends it at once (the Worker is terminated). */
export interface ProbeRun {
  done: Promise<void>;
  stop: () => void;
}

/**
 * Starts timing `backend` (its Worker, its backend, then `steps` training steps): `started` once the backend runs
 * (ms it took), `step` after each step. `done` rejects when the backend cannot start or a step throws.
 */
export type StartProbe = (
  backend: BackendName,
  job: ProbeJob,
  steps: number,
  events: { started: (ms: number) => void; step: (s: ProbeStep) => void },
) => ProbeRun;

interface Running {
  backend: BackendName;
  t0: number;
  startMs: number | null;
  steps: ProbeStep[];
  outcome: BackendMeasurement | null;
  run: ProbeRun;
}

/**
 * Times each candidate in its own Worker — the reference (WASM) alone, then the others together — and stops those
 * clearly slower than the best so far (`shouldStop`); resolves with each one's figures and the fastest. `order` breaks ties. Throws when none could
 * be measured (the caller then takes the first backend that starts).
 */
export async function measureBackends(
  job: ProbeJob,
  candidates: readonly BackendName[],
  order: readonly BackendName[],
  start: StartProbe,
  settings: ProbeSettings = PROBE_SETTINGS,
  now: () => number = () => performance.now(),
  tickMs = 100,
): Promise<ProbeResult> {
  const began = now();
  const total = settings.warmSteps + 1;
  const runs: Running[] = [];
  const measurement = (r: Running, status: BackendMeasurement['status'], note: string | null) => {
    const stepMs = warmStepMs(r.steps);
    const elapsed = r.steps.reduce((a, s) => a + s.ms, 0);
    // A stopped backend had not finished a warm step: its rate is at most one batch over the time it spent.
    const bound = status === 'stopped' ? now() - r.t0 - (r.startMs ?? 0) : null;
    return {
      backend: r.backend,
      status,
      startMs: r.startMs,
      firstStepMs: r.steps[0]?.ms ?? null,
      stepMs: status === 'measured' ? stepMs : null,
      examplesPerSecond:
        status === 'measured' && stepMs !== null
          ? examplesPerSecond(job.batchSize, stepMs)
          : bound !== null && bound > 0
            ? examplesPerSecond(job.batchSize, Math.max(bound - elapsed, stepMs ?? 0, 1))
            : null,
      note,
      bytes: r.steps.reduce<number | null>(
        (most, s) => (s.bytes === undefined ? most : Math.max(most ?? 0, s.bytes)),
        null,
      ),
    } satisfies BackendMeasurement;
  };
  const best = () => {
    const done = runs.filter((r) => r.outcome?.status === 'measured');
    const winner = fastest(
      done.map((r) => r.outcome!),
      order,
    );
    const r = winner && done.find((d) => d.backend === winner.backend);
    return r
      ? { totalMs: (r.startMs ?? 0) + r.steps.reduce((a, s) => a + s.ms, 0), stepMs: winner.stepMs! }
      : null;
  };
  // The reference alone first (WASM: it starts fast, and on a machine of few cores a software GPU beside it would
  // slow it down), then the others together, each stopped once clearly slower than the best so far.
  const reference = candidates.includes('wasm') ? 'wasm' : candidates[0];
  const ctx = { job, start, settings, now, tickMs, total, runs, measurement, best };
  if (reference) await launch([reference], ctx);
  await launch(
    candidates.filter((b) => b !== reference),
    ctx,
  );
  const measurements = runs.map((r) => r.outcome!);
  const chosen = fastest(measurements, order);
  if (!chosen)
    throw new Error(
      `no backend could be measured (${measurements.map((m) => `${m.backend}: ${m.note}`).join('; ')})`,
    );
  return { job, measurements, chosen: chosen.backend, totalMs: now() - began };
}

interface LaunchContext {
  job: ProbeJob;
  start: StartProbe;
  settings: ProbeSettings;
  now: () => number;
  tickMs: number;
  total: number;
  runs: Running[];
  measurement: (r: Running, status: BackendMeasurement['status'], note: string | null) => BackendMeasurement;
  best: () => { totalMs: number; stepMs: number } | null;
}

/** Starts `backends` together and waits until each has finished, failed or been stopped. */
async function launch(backends: readonly BackendName[], c: LaunchContext): Promise<void> {
  const batch = backends.map((backend) => {
    const r: Running = { backend, t0: c.now(), startMs: null, steps: [], outcome: null, run: null as never };
    r.run = c.start(backend, c.job, c.total, {
      started: (ms) => (r.startMs = ms),
      step: (s) => r.steps.push(s),
    });
    c.runs.push(r);
    return r;
  });
  const ticker = setInterval(() => {
    const b = c.best();
    for (const r of batch) {
      if (r.outcome) continue;
      const why = shouldStop(c.now() - r.t0, r.steps, b, c.settings);
      if (why) {
        r.outcome = c.measurement(r, 'stopped', why);
        r.run.stop();
      }
    }
  }, c.tickMs);
  try {
    // A stopped run's `done` may never settle (its Worker is gone): each ends when it settles or is stopped.
    await Promise.all(
      batch.map(
        (r) =>
          new Promise<void>((resolve) => {
            const poll = setInterval(() => r.outcome && (clearInterval(poll), resolve()), c.tickMs);
            void r.run.done
              .then(
                () => (r.outcome ??= c.measurement(r, 'measured', null)),
                (e: unknown) =>
                  (r.outcome ??= c.measurement(r, 'failed', e instanceof Error ? e.message : String(e))),
              )
              .then(() => (clearInterval(poll), resolve()));
          }),
      ),
    );
  } finally {
    clearInterval(ticker);
  }
}
