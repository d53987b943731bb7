import type { BackendName } from '../core/backend';
import { threadsLabel } from '../core/backendLabel';
import type { BackendDecision, ProbeResult } from '../core/runtime/probe';
import type { BackendReport } from '../shared/protocol';

/** How people call each backend. */
const NAMES: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'the CPU (plain JavaScript)',
};

/** "WebAssembly, 2 threads", "WebGPU". */
function where(backend: BackendName, threads: number | null): string {
  return backend === 'wasm' && threads !== null ? `${NAMES.wasm}, ${threadsLabel(threads)}` : NAMES[backend];
}

const rate = (x: number) => (x >= 10 ? x.toFixed(0) : x.toPrecision(2));

/** The backend the figures chose, with its examples/s: "Trains on WebAssembly, 2 threads — 52 examples/s, …". */
function measuredLine(result: ProbeResult): string {
  const threads = result.chosen === 'wasm' ? (result.threads ?? null) : null;
  const best = result.measurements.find(
    (m) =>
      m.backend === result.chosen && m.status === 'measured' && (threads === null || m.threads === threads),
  );
  const speed = best?.examplesPerSecond ? ` — ${rate(best.examplesPerSecond)} examples/s` : '';
  return `Trains on ${where(result.chosen, result.threads ?? null)}${speed}, the fastest here.`;
}

/** What the backend notice says in one line. */
export interface BackendLineInput {
  backend: BackendReport | null;
  /** How the run's backend was decided (during and after a run). */
  decision: BackendDecision | null;
  /** The figures measured for the job on the page (between runs). */
  measured: ProbeResult | null;
  /** Whether the backends are being timed for a run now, or while the page is idle. */
  probing: boolean;
  measuring: boolean;
}

/**
 * The backend notice in one sentence of at most 25 words: where training runs and why ("Trains on WebAssembly,
 * 2 threads — 52 examples/s, the fastest here."). The device, every backend's figure and why one is not in use are
 * details, shown on demand. Pure.
 */
export function backendLine(i: BackendLineInput): string {
  if (!i.backend) return 'Starting the compute backend…';
  if (i.probing) return 'Timing each backend on this run’s job…';
  const d = i.decision;
  if (d?.how === 'chosen') return `Trains on ${NAMES[d.backend]}, chosen by hand.`;
  if (d?.how === 'default') return `Trains on ${NAMES[d.backend]}, the first backend that started.`;
  const result = d?.how === 'measured' ? d.result : i.measured;
  if (result) return measuredLine(result);
  const { backend, threads, device } = i.backend;
  const software = device?.software ? ', a software GPU' : '';
  const timing = i.measuring ? ' Timing each backend on this job…' : '';
  return `Runs on ${where(backend, threads)}${software}.${timing}`;
}
