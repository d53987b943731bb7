import type { BackendName } from '../backend';
import {
  choice,
  examplesPerSecond,
  fastest,
  PROBE_SETTINGS,
  seconds,
  tooSlow,
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
  /** Aborting stops every probe Worker; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** WASM's thread count in its probe Worker (TF.js's default when absent). */
  wasmThreads?: number | null;
}

/** The best backend measured so far, as `tooSlow` weighs the others against it. */
type Best = { totalMs: number; stepMs: number } | null;

/**
 * Races `contenders` against a timer of `ms` (none when `ms` is null) whose result is `late()`; the timer is cleared
 * when the race is decided, whichever won.
 */
async function raceWindow<T>(ms: number | null, late: () => T, contenders: Array<Promise<T>>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    if (ms !== null) timer = setTimeout(() => resolve(late()), Math.max(ms, 0));
  });
  try {
    return await Promise.race([...contenders, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One backend's probe as the measurement follows it: its Worker, when it started, its steps, and its ending. */
class Probe {
  startMs: number | null = null;
  software = false;
  threads: number | null = null;
  /** When it was let go to time its steps (null until then). */
  goAt: number | null = null;
  readonly steps: ProbeStep[] = [];
  /** Settles once the backend runs. */
  readonly started: Promise<'started'>;
  /** Settles with null when its steps are done, or with the reason it failed. */
  readonly ended: Promise<string | null>;
  /** Told of each step as it ends (the measurement's check of a slow warm step). */
  onStep: (s: ProbeStep) => void = () => undefined;
  private release: (go: boolean) => void = () => undefined;
  private readonly run: ProbeRun;

  constructor(
    readonly backend: BackendName,
    job: ProbeJob,
    start: StartProbe,
    steps: number,
    wasmThreads: number | null,
  ) {
    let startedNow: () => void = () => undefined;
    this.started = new Promise((resolve) => (startedNow = () => resolve('started')));
    const go = new Promise<boolean>((resolve) => (this.release = resolve));
    this.run = start(
      backend,
      job,
      Array.from({ length: steps }, () => job.batchSize),
      {
        started: (ms, facts) => {
          Object.assign(this, { startMs: ms, software: facts.software, threads: facts.threads });
          startedNow();
        },
        step: (s) => (this.steps.push(s), this.onStep(s)),
      },
      go,
      backend === 'wasm' ? wasmThreads : null,
    );
    this.ended = this.run.done.then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
  }

  go(now: number): void {
    this.goAt = now;
    this.release(true);
  }

  stop(): void {
    this.release(false);
    this.run.stop();
  }
}

/**
 * Times the candidates, each in its own Worker: all start together (starting a Worker and a backend is mostly
 * waiting), the reference (WASM) is timed alone, then the others together, each stopped once clearly slower than the
 * reference (`tooSlow`: a slow warm step, or past its window). A software GPU is not timed once the reference was
 * (`SOFTWARE_NOT_TIMED`). Resolves with each one's figures and the fastest; `order` breaks ties. Throws when none
 * could be measured (the caller then takes the first backend that starts).
 */
export async function measureBackends(
  job: ProbeJob,
  candidates: readonly BackendName[],
  order: readonly BackendName[],
  start: StartProbe,
  options: MeasureOptions = {},
): Promise<ProbeResult> {
  const { settings = PROBE_SETTINGS, now = () => performance.now(), signal } = options;
  signal?.throwIfAborted();
  const began = now();
  // The reference is timed alone (WASM: it starts fast, and on a machine of few cores a GPU backend beside it
  // would slow it down); the others start beside it and wait.
  const reference = candidates.includes('wasm') ? 'wasm' : candidates[0];
  const all = [...(reference ? [reference] : []), ...candidates.filter((b) => b !== reference)];
  const probes = all.map(
    (b) => new Probe(b, job, start, settings.warmSteps + 1, options.wasmThreads ?? null),
  );
  const c: Timing = { job, settings, now };
  let stopAll = () => undefined as void;
  const aborted = new Promise<never>((_, reject) => {
    stopAll = () => reject(signal?.reason);
    signal?.addEventListener('abort', stopAll, { once: true });
  });
  aborted.catch(() => undefined);
  const timing = (async () => {
    const [first, ...others] = probes;
    const measured = first ? [await timeProbe(first, null, c)] : [];
    const best = bestOf(first ? [{ probe: first, m: measured[0]! }] : [], order);
    return [...measured, ...(await Promise.all(others.map((p) => timeProbe(p, best, c))))];
  })();
  let measurements: BackendMeasurement[];
  try {
    measurements = await Promise.race([timing, aborted]);
  } finally {
    signal?.removeEventListener('abort', stopAll);
    for (const p of probes) p.stop();
  }
  const picked = choice(measurements, order);
  if (!picked)
    throw new Error(
      `no backend could be measured (${measurements.map((m) => `${m.backend}: ${m.note}`).join('; ')})`,
    );
  return { job, measurements, ...picked, totalMs: now() - began };
}

interface Timing {
  job: ProbeJob;
  settings: ProbeSettings;
  now: () => number;
}

/** The reference's whole probe and warm step, for `tooSlow`; null when it was not measured. */
function bestOf(done: Array<{ probe: Probe; m: BackendMeasurement }>, order: readonly BackendName[]): Best {
  const winner = fastest(
    done.map((d) => d.m),
    order,
  );
  const d = winner && done.find((x) => x.m === winner);
  return d
    ? {
        totalMs: (d.probe.startMs ?? 0) + d.probe.steps.reduce((a, s) => a + s.ms, 0),
        stepMs: winner.stepMs!,
      }
    : null;
}

/**
 * Times one probe once its turn has come: it waits for the backend to start, lets it go, and waits for its steps —
 * each wait raced against the window `best` leaves it (none for the reference, `best` null), and its steps checked
 * as they come for one clearly slower than the best's. A software GPU is not let go where `best` exists.
 */
async function timeProbe(p: Probe, best: Best, c: Timing): Promise<BackendMeasurement> {
  const window = best ? Math.max(c.settings.windowMs, best.totalMs * c.settings.slowerThan) : null;
  const turn = c.now();
  type Begun = { status: 'failed' | 'stopped'; note: string } | null;
  const begun = await raceWindow<Begun>(
    window,
    () => ({ status: 'stopped', note: `it had not started after ${seconds(c.now() - turn)}` }),
    [
      p.started.then(() => null),
      p.ended.then((failure) => ({ status: 'failed', note: failure ?? 'it ended before it started' })),
    ],
  );
  if (begun) return figures(p, c, begun.status, begun.note);
  if (p.software && best) return figures(p, c, 'not timed', SOFTWARE_NOT_TIMED);
  p.go(c.now());
  const late = () => tooSlow(c.now() - p.goAt!, p.steps, best, c.settings);
  type End = { status: 'measured' | 'failed' | 'stopped'; note: string | null };
  const end = await raceWindow<End>(window, () => ({ status: 'stopped', note: late() }), [
    p.ended.then((failure) => ({ status: failure === null ? 'measured' : 'failed', note: failure })),
    new Promise<End>((resolve) => {
      p.onStep = () => {
        const why = late();
        if (why) resolve({ status: 'stopped', note: why });
      };
    }),
  ]);
  return figures(p, c, end.status, end.note);
}

/** A probe's figures as it ended: `status`, with its steps so far (a stopped one's rate bounded by its time). */
function figures(
  p: Probe,
  c: Timing,
  status: BackendMeasurement['status'],
  note: string | null,
): BackendMeasurement {
  const stepMs = warmStepMs(p.steps);
  const elapsed = p.steps.reduce((a, s) => a + s.ms, 0);
  // A stopped backend had not finished a warm step: its rate is at most one batch over the time it spent stepping.
  const bound = status === 'stopped' && p.goAt !== null ? c.now() - p.goAt : null;
  return {
    backend: p.backend,
    status,
    startMs: p.startMs,
    firstStepMs: p.steps[0]?.ms ?? null,
    stepMs: status === 'measured' ? stepMs : null,
    examplesPerSecond:
      status === 'measured' && stepMs !== null
        ? examplesPerSecond(c.job.batchSize, stepMs)
        : bound !== null && bound > 0
          ? examplesPerSecond(c.job.batchSize, Math.max(bound - elapsed, stepMs ?? 0, 1))
          : null,
    note,
    threads: p.threads,
    bytes: p.steps.reduce<number | null>(
      (most, s) => (s.bytes === undefined ? most : Math.max(most ?? 0, s.bytes)),
      null,
    ),
  };
}

/**
 * WASM timed on the job with each of `threads` thread counts not measured yet, one Worker at a time, `onUpdate`
 * getting the result after each; a faster count changes the choice (`choice`). What the page adds while it is
 * idle. Rejects with the signal's reason when aborted (its Worker stopped); what finished was passed on.
 */
export async function timeThreads(
  result: ProbeResult,
  start: StartProbe,
  onUpdate: (r: ProbeResult) => void,
  options: { order: readonly BackendName[]; threads: readonly number[]; signal?: AbortSignal },
): Promise<ProbeResult> {
  const { order, threads, signal } = options;
  let current = result;
  for (const t of threads) {
    if (current.measurements.some((m) => m.backend === 'wasm' && m.threads === t)) continue;
    const measurements = [...current.measurements, await timeWasm(result.job, t, start, order, signal)];
    current = { ...current, measurements, ...(choice(measurements, order) ?? {}) };
    onUpdate(current);
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
