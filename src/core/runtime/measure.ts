import type { BackendName } from '../backend';
import {
  choice,
  estimatedStepMs,
  examplesPerSecond,
  fastest,
  PROBE_SETTINGS,
  SCOUT_BATCHES,
  seconds,
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

/** What a probe Worker says of its backend once it has started. */
export interface StartedFacts {
  /** Whether its GPU is a software one (SwiftShader, llvmpipe, a fallback adapter). */
  software: boolean;
  /** WASM: the threads it computes with; null elsewhere. */
  threads: number | null;
}

/**
 * Starts `backend`'s Worker and its backend at once (WASM with `wasmThreads` threads where given, else TF.js's
 * default), then waits for `go` before timing: `started` once the backend runs (ms it took, and its facts), `step`
 * after each training step, one per entry of `batches` (its batch size). `go` settles true to time it, false to end
 * without a step. `done` rejects when the backend cannot start or a step throws.
 */
export type StartProbe = (
  backend: BackendName,
  job: ProbeJob,
  batches: readonly number[],
  events: { started: (ms: number, facts: StartedFacts) => void; step: (s: ProbeStep) => void },
  go: Promise<boolean>,
  wasmThreads?: number | null,
) => ProbeRun;

interface Running {
  backend: BackendName;
  t0: number;
  startMs: number | null;
  /** Whether its GPU is a software one, and WASM's threads (known once it has started). */
  software: boolean;
  threads: number | null;
  /** When it was let go to time its steps (null until then). */
  goAt: number | null;
  release: (go: boolean) => void;
  steps: ProbeStep[];
  outcome: BackendMeasurement | null;
  run: ProbeRun;
}

/**
 * Why a software GPU is not timed once WASM was: it emulates a GPU on the same cores, far slower (80× for BERT-tiny
 * on SwiftShader), and a step it was given runs on after its Worker is stopped (SwiftShader's WebGPU kept both cores
 * busy for about a minute, and the run's Start waited for it).
 */
export const SOFTWARE_NOT_TIMED =
  'a software GPU (this CPU emulating one), far slower than WebAssembly on the same cores; choose it by hand to try it';

/** How a measurement runs: its settings and clock (tests pass fakes), and a signal that ends it at once. */
export interface MeasureOptions {
  settings?: ProbeSettings;
  now?: () => number;
  tickMs?: number;
  /** Aborting stops every probe Worker; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** WASM's thread count in its probe Worker (TF.js's default when absent). */
  wasmThreads?: number | null;
}

/**
 * Times the candidates, each in its own Worker: all start together (starting a Worker and a backend is mostly
 * waiting), the reference (WASM) is timed alone, then the others together, each stopped once clearly slower than the
 * best so far (`shouldStop`). A software GPU is not timed once the reference was (`SOFTWARE_NOT_TIMED`; the page
 * estimates it later, while idle: `completeMeasurements`). Resolves with each one's figures and the fastest; `order`
 * breaks ties. Throws when none could be measured (the caller then takes the first backend that starts).
 */
export async function measureBackends(
  job: ProbeJob,
  candidates: readonly BackendName[],
  order: readonly BackendName[],
  start: StartProbe,
  options: MeasureOptions = {},
): Promise<ProbeResult> {
  const { settings = PROBE_SETTINGS, now = () => performance.now(), tickMs = 100, signal } = options;
  const wasmThreads = options.wasmThreads ?? null;
  signal?.throwIfAborted();
  const began = now();
  const total = settings.warmSteps + 1;
  const runs: Running[] = [];
  const measurement = (r: Running, status: BackendMeasurement['status'], note: string | null) => {
    const stepMs = warmStepMs(r.steps);
    const elapsed = r.steps.reduce((a, s) => a + s.ms, 0);
    // A stopped backend had not finished a warm step: its rate is at most one batch over the time it spent stepping.
    const bound = status === 'stopped' && r.goAt !== null && r.startMs !== null ? now() - r.goAt : null;
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
      threads: r.threads,
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
    const r = winner && done.find((d) => d.outcome === winner);
    return r
      ? { totalMs: (r.startMs ?? 0) + r.steps.reduce((a, s) => a + s.ms, 0), stepMs: winner.stepMs! }
      : null;
  };
  // The reference is timed alone (WASM: it starts fast, and on a machine of few cores a GPU backend beside it
  // would slow it down); the others start beside it and wait.
  const reference = candidates.includes('wasm') ? 'wasm' : candidates[0];
  const phase = { othersGo: false, othersGoAt: 0 };
  const ctx = { job, start, settings, now, tickMs, total, runs, measurement, best, phase, wasmThreads };
  const all = [...(reference ? [reference] : []), ...candidates.filter((b) => b !== reference)];
  const started = all.map((b) => launch(b, ctx));
  const stopAll = () => {
    for (const r of runs) if (!r.outcome) stopRun(r, measurement(r, 'stopped', 'the measurement was ended'));
  };
  signal?.addEventListener('abort', stopAll);
  try {
    const [first, ...others] = started;
    if (first) await first.finished;
    phase.othersGo = true;
    phase.othersGoAt = now();
    for (const r of others) mayGo(r.running, ctx);
    await watch(
      others.map((o) => o.running),
      ctx,
      Promise.all(others.map((o) => o.finished)),
    );
  } finally {
    signal?.removeEventListener('abort', stopAll);
  }
  signal?.throwIfAborted();
  const measurements = runs.map((r) => r.outcome!);
  const picked = choice(measurements, order);
  if (!picked)
    throw new Error(
      `no backend could be measured (${measurements.map((m) => `${m.backend}: ${m.note}`).join('; ')})`,
    );
  return { job, measurements, ...picked, totalMs: now() - began };
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
  /** Whether (and since when) the runs after the reference may be timed. */
  phase: { othersGo: boolean; othersGoAt: number };
  wasmThreads: number | null;
}

/**
 * Lets a started run go, once its turn has come (the reference at once, the others after it): a software GPU
 * is ended without a step where the reference was measured.
 */
function mayGo(r: Running, c: LaunchContext): void {
  if (r.outcome || r.goAt !== null || r.startMs === null) return;
  if (!c.phase.othersGo && c.runs[0] !== r) return;
  if (r.software && c.best()) {
    stopRun(r, c.measurement(r, 'not timed', SOFTWARE_NOT_TIMED));
    return;
  }
  r.goAt = c.now();
  r.release(true);
}

/** Ends a run with `outcome`: it is not let go (or no longer timed), and its Worker is stopped. */
function stopRun(r: Running, outcome: BackendMeasurement): void {
  r.outcome = outcome;
  r.release(false);
  r.run.stop();
}

/** Starts `backend`'s Worker; `finished` settles once it has been timed, has failed or was stopped. */
function launch(backend: BackendName, c: LaunchContext) {
  let release: (go: boolean) => void = () => undefined;
  const go = new Promise<boolean>((resolve) => (release = resolve));
  const r: Running = {
    backend,
    t0: c.now(),
    startMs: null,
    software: false,
    threads: null,
    goAt: null,
    release,
    steps: [],
    outcome: null,
    run: null as never,
  };
  c.runs.push(r);
  r.run = c.start(
    backend,
    c.job,
    Array.from({ length: c.total }, () => c.job.batchSize),
    {
      started: (ms, facts) => {
        r.startMs = ms;
        r.software = facts.software;
        r.threads = facts.threads;
        mayGo(r, c);
      },
      step: (s) => r.steps.push(s),
    },
    go,
    backend === 'wasm' ? c.wasmThreads : null,
  );
  // A stopped run's `done` may never settle (its Worker is gone): it ends when it settles or is stopped.
  const finished = new Promise<void>((resolve) => {
    const poll = setInterval(() => r.outcome && (clearInterval(poll), resolve()), c.tickMs);
    void r.run.done
      .then(
        () => (r.outcome ??= c.measurement(r, 'measured', null)),
        (e: unknown) =>
          (r.outcome ??= c.measurement(r, 'failed', e instanceof Error ? e.message : String(e))),
      )
      .then(() => (clearInterval(poll), resolve()));
  });
  return { running: r, finished };
}

/** Stops the runs of `batch` that fall clearly behind the best so far (`shouldStop`) until `finished` settles. */
async function watch(batch: readonly Running[], c: LaunchContext, finished: Promise<unknown>): Promise<void> {
  const ticker = setInterval(() => {
    const b = c.best();
    for (const r of batch) {
      if (r.outcome) continue;
      // The window runs from when it was let go (or, not started yet, from when its turn came).
      const elapsed = c.now() - (r.goAt ?? c.phase.othersGoAt);
      const late = shouldStop(elapsed, r.steps, b, c.settings);
      const why = late && r.startMs === null ? `it had not started after ${seconds(elapsed)}` : late;
      if (why) stopRun(r, c.measurement(r, 'stopped', why));
    }
  }, c.tickMs);
  try {
    await finished;
  } finally {
    clearInterval(ticker);
  }
}

/** A scout longer than this is given up (the backend keeps the figure it had): 15× SwiftShader's WebGPU here. */
export const SCOUT_LIMIT_MS = 60_000;

/**
 * Times `prior`'s backend on a scout (`SCOUT_BATCHES`: steps of 1 and 2 examples at the job's length) in a Worker of
 * its own, and estimates the job's step from it (`estimatedStepMs`): a figure for a backend that was not timed or
 * was stopped on the whole job. Resolves with `prior` when the scout outlasts `SCOUT_LIMIT_MS`, and as failed when the
 * backend threw; rejects with the signal's reason when aborted (its Worker stopped).
 */
export async function estimateBackend(
  job: ProbeJob,
  prior: BackendMeasurement,
  start: StartProbe,
  signal?: AbortSignal,
  limitMs = SCOUT_LIMIT_MS,
): Promise<BackendMeasurement> {
  signal?.throwIfAborted();
  const steps: number[] = [];
  const begun = { ms: null as number | null, software: false };
  const run = start(
    prior.backend,
    job,
    SCOUT_BATCHES,
    {
      started: (ms, facts) => Object.assign(begun, { ms, software: facts.software }),
      step: (s) => steps.push(s.ms),
    },
    Promise.resolve(true),
    prior.threads ?? null,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  let aborted = () => undefined as void;
  const ended = new Promise<'aborted' | 'late'>((resolve) => {
    aborted = () => resolve('aborted');
    signal?.addEventListener('abort', aborted);
    timer = setTimeout(() => resolve('late'), limitMs);
  });
  const outcome = await Promise.race([
    run.done.then(
      () => 'done' as const,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    ),
    ended,
  ]).finally(() => (clearTimeout(timer), signal?.removeEventListener('abort', aborted)));
  if (outcome === 'done' && steps.length === SCOUT_BATCHES.length) {
    const stepMs = estimatedStepMs(steps[1]!, steps[3]!, job.batchSize);
    return {
      backend: prior.backend,
      status: 'estimated',
      startMs: begun.ms,
      firstStepMs: steps[0]!,
      stepMs,
      examplesPerSecond: examplesPerSecond(job.batchSize, stepMs),
      threads: prior.threads ?? null,
      note: `estimated from steps of 1 and 2 examples${begun.software ? ': a software GPU (this CPU emulating one)' : ''}`,
    };
  }
  run.stop();
  signal?.throwIfAborted();
  if (outcome === 'late' || outcome === 'done') return prior;
  return { ...prior, status: 'failed', stepMs: null, examplesPerSecond: null, note: outcome };
}

/** Whether some backend of `result` has no figure yet that a scout could give (not timed, or stopped). */
export function incomplete(result: ProbeResult): boolean {
  return result.measurements.some((m) => m.status === 'not timed' || m.status === 'stopped');
}

/**
 * What the page adds to a measurement while it is idle, one Worker at a time, `onUpdate` getting the result after
 * each: an estimate for each backend without a figure (`incomplete`, `estimateBackend`), then WASM timed on the job
 * with each of `threads` (`moreThreads`), which may change the choice (`choice`: estimates are never chosen).
 */
export async function completeMeasurements(
  result: ProbeResult,
  start: StartProbe,
  onUpdate: (r: ProbeResult) => void,
  options: { order: readonly BackendName[]; threads?: readonly number[]; signal?: AbortSignal },
): Promise<ProbeResult> {
  const { order, threads = [], signal } = options;
  let current = result;
  const update = (measurements: BackendMeasurement[]) => {
    current = { ...current, measurements, ...(choice(measurements, order) ?? {}) };
    onUpdate(current);
  };
  for (const m of result.measurements) {
    if (m.status !== 'not timed' && m.status !== 'stopped') continue;
    const estimate = await estimateBackend(result.job, m, start, signal);
    update(current.measurements.map((x) => (x === m ? estimate : x)));
  }
  for (const t of threads) {
    if (current.measurements.some((m) => m.backend === 'wasm' && m.threads === t)) continue;
    update([...current.measurements, await timeWasm(result.job, t, start, order, signal)]);
  }
  return current;
}

/** WASM timed on the job with `threads` threads, in a Worker of its own: measured, or failed with the reason. */
async function timeWasm(
  job: ProbeJob,
  threads: number,
  start: StartProbe,
  order: readonly BackendName[],
  signal?: AbortSignal,
): Promise<BackendMeasurement> {
  try {
    const r = await measureBackends(job, ['wasm'], order, start, { signal, wasmThreads: threads });
    return r.measurements[0]!;
  } catch (e) {
    signal?.throwIfAborted();
    return {
      backend: 'wasm',
      status: 'failed',
      startMs: null,
      firstStepMs: null,
      stepMs: null,
      examplesPerSecond: null,
      threads,
      note: e instanceof Error ? e.message : String(e),
    };
  }
}
