import type { BackendName } from '../backend';
import { describeBackend } from '../backendLabel';

/*
 * Which backend trains this job fastest, measured on the user's own device: a few of the trainer's own steps of
 * the job's exact shape (layers, hidden size, vocabulary, batch, max length, fine-tuning), on each backend that
 * starts, each in its own Worker. A software GPU (SwiftShader) can be 80× slower than the same tab's WASM, and a
 * small model on a real GPU is not always faster either: the order of preference is only the tie-break.
 * This module is the pure part: which backends to try, when to stop one, which wins, how it is said.
 */

/** The job a probe times: the model's shape and the run's batch and length. */
export interface ProbeJob {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocab: number;
  batchSize: number;
  seqLen: number;
  /** LoRA's rank and targets when fine-tuning with LoRA (frozen layers cost less); null for every weight. */
  lora: { r: number; targets: string[] } | null;
}

/** What a probe Worker reports of one training step. */
export interface ProbeStep {
  /** Wall time of the step, the loss read back included. */
  ms: number;
  /** Memory the backend held after the step (`bytesHeld`), when known. */
  bytes?: number;
}

/**
 * Memory a backend holds: on WebGPU the buffers it has allocated, its pool of free ones included (TF.js's
 * `numBytesInGPU` leaves the pool out, and the pool is most of it); elsewhere the bytes of the live tensors. Pure.
 */
export function bytesHeld(memory: { numBytes: number; numBytesInGPUAllocated?: number }): number {
  return memory.numBytesInGPUAllocated ?? memory.numBytes;
}

/** One backend's outcome. */
export interface BackendMeasurement {
  backend: BackendName;
  /**
   * measured: its warm steps ran; stopped: cut short, clearly slower than the best (or past the window);
   * failed: it did not start or threw; not timed: it started and was left untimed (a software GPU, once WASM
   * was measured). Only measured backends are chosen.
   */
  status: 'measured' | 'stopped' | 'failed' | 'not timed';
  /** Starting the Worker and the backend, ms. */
  startMs: number | null;
  /** The first step (shader compilation, allocation), ms. */
  firstStepMs: number | null;
  /** The median of the warm steps, ms. */
  stepMs: number | null;
  /** Examples per second in the warm steps; for a stopped backend, at most this (its time so far bounds it). */
  examplesPerSecond: number | null;
  /** The most memory the backend held after a step (`bytesHeld`), when known. */
  bytes?: number | null;
  /** WASM: the threads it computed with (TF.js's default, or a count timed while the page was idle); else null. */
  threads?: number | null;
  /** Why it stopped or failed. */
  note: string | null;
}

export interface ProbeResult {
  job: ProbeJob;
  measurements: BackendMeasurement[];
  /** The backend chosen: the fastest measured one. */
  chosen: BackendName;
  /** WASM chosen: the thread count it was fastest with (null or absent: TF.js's default). */
  threads?: number | null;
  /** Wall time of the whole probe, ms. */
  totalMs: number;
}

export interface ProbeSettings {
  /** Warm steps timed after the first. */
  warmSteps: number;
  /** Every backend gets at least this long (ms, from its Worker's start) before it may be stopped. */
  windowMs: number;
  /** A backend still running when the best has finished and this multiple of the best's time has passed stops. */
  slowerThan: number;
  /** A warm step this many times the best's warm step stops its backend at once. */
  stepSlowerThan: number;
}

/**
 * One warm step after the first. After the reference (WASM) has finished, another backend runs for half the
 * reference's whole probe, 2 s at least, before it is stopped: enough for a real GPU to compile BERT-tiny's shaders
 * and take a step, not for a software one; the person can still choose a stopped backend by hand. The probe's cost
 * here is in docs/performance.md.
 */
export const PROBE_SETTINGS: ProbeSettings = {
  warmSteps: 1,
  windowMs: 2000,
  slowerThan: 0.5,
  stepSlowerThan: 2,
};

/**
 * The backends worth timing, from the order that can start: CPU only when WASM is not among them (TF.js's CPU
 * backend runs the same ops in plain JavaScript, 3.7× slower than WASM's XNNPACK in `npm run bench`).
 */
export function probeCandidates(order: readonly BackendName[]): BackendName[] {
  return order.filter((b) => b !== 'cpu' || !order.includes('wasm'));
}

/** The median of the warm steps (the first step, with its compilation, apart). */
export function warmStepMs(steps: readonly ProbeStep[]): number | null {
  const warm = steps
    .slice(1)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  if (warm.length === 0) return null;
  const mid = Math.floor(warm.length / 2);
  return warm.length % 2 ? warm[mid]! : (warm[mid - 1]! + warm[mid]!) / 2;
}

/** Examples per second of a step of `stepMs`. */
export function examplesPerSecond(batchSize: number, stepMs: number): number {
  return (batchSize * 1000) / stepMs;
}

/** The fastest measured backend; among equals (within 5 %), the earlier in `order`. Null when none was measured. */
export function fastest(measurements: readonly BackendMeasurement[], order: readonly BackendName[]) {
  const measured = measurements
    .filter((m) => m.status === 'measured' && m.examplesPerSecond !== null)
    .sort((a, b) => order.indexOf(a.backend) - order.indexOf(b.backend));
  let best: BackendMeasurement | null = null;
  for (const m of measured) if (!best || m.examplesPerSecond! > best.examplesPerSecond! * 1.05) best = m;
  return best;
}

/**
 * Whether a backend still running should be stopped now: `elapsedMs` since its Worker started, the warm steps it
 * has done so far, and the best finished backend (null while none has). Pure.
 */
export function tooSlow(
  elapsedMs: number,
  steps: readonly ProbeStep[],
  best: { totalMs: number; stepMs: number } | null,
  s: ProbeSettings = PROBE_SETTINGS,
): string | null {
  if (!best) return null;
  const lastWarm = steps.length > 1 ? steps[steps.length - 1]!.ms : null;
  if (lastWarm !== null && lastWarm > best.stepMs * s.stepSlowerThan)
    return `a warm step took ${seconds(lastWarm)}, against ${seconds(best.stepMs)}`;
  if (elapsedMs < Math.max(s.windowMs, best.totalMs * s.slowerThan)) return null;
  return steps.length === 0
    ? `its first step was still running after ${seconds(elapsedMs)}`
    : `still running after ${seconds(elapsedMs)}, where the fastest finished in ${seconds(best.totalMs)}`;
}

/**
 * The WASM thread counts worth timing besides the one measured (`measured`, TF.js's default: half the logical cores,
 * at most 8): every logical core, at most 8 (TF.js's own cap), where threads can run at all (`canThread`: the page is
 * cross-origin isolated and WASM's threaded build loads). Pure. Here (2 cores) that is 2 against the default 1.
 */
export function moreThreads(measured: number | null, cores: number, canThread: boolean): number[] {
  const all = Math.min(cores, 8);
  return canThread && measured !== null && all > measured ? [all] : [];
}

/** The backend (and WASM's thread count) the figures choose: the fastest measured; null when none was measured. */
export function choice(
  measurements: readonly BackendMeasurement[],
  order: readonly BackendName[],
): { chosen: BackendName; threads: number | null } | null {
  const best = fastest(measurements, order);
  return best && { chosen: best.backend, threads: best.backend === 'wasm' ? (best.threads ?? null) : null };
}

/** The cache key of a probe: the same job on the same device and browser is not timed again. */
export function probeKey(job: ProbeJob, device: string): string {
  const lora = job.lora ? `lora${job.lora.r}:${[...job.lora.targets].sort().join('+')}` : 'full';
  return [
    'tabtune-probe-v3', // v2: WASM's thread counts; v3: no estimates
    device,
    `${job.layers}x${job.hidden}/${job.heads}h/${job.intermediate}/v${job.vocab}`,
    `b${job.batchSize}`,
    `t${job.seqLen}`,
    lora,
  ].join('|');
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const rate = (x: number) => (x >= 10 ? x.toFixed(0) : x.toPrecision(2));

/** "wasm (1 thread) 48 examples/s (first step 1.2 s)", "webgpu stopped: … (under 3.1 examples/s)", "webgl failed: …". */
export function describeMeasurement(m: BackendMeasurement): string {
  const name = describeBackend(m.backend, m.threads ?? null);
  if (m.status === 'failed') return `${name} failed: ${m.note ?? 'no reason given'}`;
  if (m.status === 'not timed') return `${name} not timed: ${m.note}`;
  if (m.status === 'stopped')
    return `${name} stopped: ${m.note}${m.examplesPerSecond !== null ? ` (under ${rate(m.examplesPerSecond)} examples/s)` : ''}`;
  const first = m.firstStepMs !== null ? `first step ${seconds(m.firstStepMs)}` : null;
  const held = m.bytes ? `${Math.round(m.bytes / 1e6)} MB held` : null;
  const notes = [first, held].filter(Boolean).join(', ');
  return `${name} ${rate(m.examplesPerSecond!)} examples/s${notes ? ` (${notes})` : ''}`;
}

/** The chosen backend as people read it: "wasm (2 threads)" where the figures chose a thread count. */
export function describeChoice(result: ProbeResult): string {
  return describeBackend(result.chosen, result.chosen === 'wasm' ? (result.threads ?? null) : null);
}

/** How the backend of a run was decided, for the badge, the log, the run record and the model card. */
export type BackendDecision =
  | { how: 'measured'; result: ProbeResult; cached: boolean }
  | { how: 'chosen'; backend: BackendName }
  | { how: 'default'; backend: BackendName; reason: string };

/** One sentence: which backend runs and why. */
export function describeDecision(d: BackendDecision): string {
  switch (d.how) {
    case 'chosen':
      return `${d.backend}, chosen by hand (no measurement)`;
    case 'default':
      return `${d.backend}, the first that starts (${d.reason})`;
    case 'measured': {
      const figures = d.result.measurements.map(describeMeasurement).join('; ');
      const when = d.cached
        ? 'measured before on this device for this job'
        : `measured in ${seconds(d.result.totalMs)}`;
      return `${describeChoice(d.result)}, the fastest for this job (${when}: ${figures})`;
    }
  }
}

/** The model dimensions a probe needs (a loaded model's summary). */
export interface ModelShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
}

/**
 * The probe's job for a run: the loaded model's shape, or from scratch the scratch model's (its vocabulary is learnt
 * from the data, up to `scratchVocab` words: that bound is timed), at the run's batch size and max length.
 */
export function probeJobFor(
  model: ModelShape | null,
  scratch: ModelShape,
  run: { batchSize: number; maxLength: number; lora: { r: number; targets: string[] } | null },
): ProbeJob {
  const m = model ?? scratch;
  return {
    layers: m.layers,
    hidden: m.hidden,
    heads: m.heads,
    intermediate: m.intermediate,
    vocab: m.vocabSize,
    batchSize: run.batchSize,
    seqLen: run.maxLength,
    lora: run.lora ? { r: run.lora.r, targets: [...run.lora.targets] } : null,
  };
}
