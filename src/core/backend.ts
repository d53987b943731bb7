import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { TabTuneError } from './errors';
import { registerKernels } from './runtime/registerKernels';

/**
 * The only place that knows TF.js backend names. Callers register the backends their platform has
 * (by importing their packages) and ask for the best one; the answer says which runs and why the
 * better ones did not.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const BROWSER_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
// In Node, WASM (XNNPACK) trains ~3.7× faster than the pure-JS CPU backend (npm run bench).
export const NODE_BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

export interface BackendChoice {
  name: BackendName;
  /** Why each better backend was skipped, in order of preference. */
  skipped: Array<{ name: BackendName; reason: string }>;
  /** WASM: the threads it computes with (1 where the page is not cross-origin isolated); null elsewhere. */
  threads: number | null;
  /** WASM: which of TF.js's three builds runs (threads need cross-origin isolation); null elsewhere. */
  wasmBuild: WasmBuild | null;
}

export type WasmBuild = 'threaded-simd' | 'simd' | 'plain';

/** The WASM build TF.js loads here: the threaded one where threads and SIMD are both supported. */
async function wasmBuild(): Promise<WasmBuild> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return simd && threads ? 'threaded-simd' : simd ? 'simd' : 'plain';
}

/**
 * The first backend of `order` that starts. `wasmThreads` asks WASM for that many threads (TF.js's default is
 * min(8, cores / 2)); TF.js fixes the count when WASM starts, so WASM already running with another count is started
 * again (`restartWasmFor`), the tensors the caller keeps (`held`: a model that scores) moved to the host first.
 */
export async function chooseBackend(
  order: readonly BackendName[],
  wasmThreads: number | null = null,
  held: () => readonly tf.Tensor[] = () => [],
): Promise<BackendChoice> {
  const skipped: BackendChoice['skipped'] = [];
  registerKernels(); // ours, before any backend starts
  if (wasmThreads !== null)
    restartWasmFor(wasmThreads, Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')), held());
  for (const name of order) {
    if (!tf.findBackendFactory(name)) {
      skipped.push({ name, reason: `the ${name} backend is not part of this build` });
      continue;
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        const wasm = name === 'wasm';
        return {
          name,
          skipped,
          threads: wasm ? getThreadsCount() : null,
          wasmBuild: wasm ? await wasmBuild() : null,
        };
      }
      skipped.push({ name, reason: reasonFor(name) });
    } catch (e) {
      skipped.push({ name, reason: `${reasonFor(name)} (${(e as Error).message})` });
    }
  }
  // One backend asked for (a probe's Worker, the CLI's --backend): its own reason is the whole message.
  if (order.length === 1 && skipped.length === 1)
    throw new TabTuneError('backend', `${capitalised(skipped[0]!.reason)}.`);
  throw new TabTuneError(
    'backend',
    `No compute backend could start (tried ${order.join(', ')}: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}). Try a current Chrome or Edge, or enable WebAssembly.`,
  );
}

/**
 * Asks WASM for `threads` threads from its next start, and, where threads can run here (`canThread`: the threaded
 * build loads), starts it again now if it already runs with another count (its pthreads end with the old module).
 * The tensors of `held` that live on WASM move to the CPU backend first (TF.js moves them back when WASM next reads
 * them); with any other tensor left on it, WASM keeps its count, as its tensors would be lost. Returns whether it was
 * started again.
 */
export function restartWasmFor(
  threads: number,
  canThread: boolean,
  held: readonly tf.Tensor[] = [],
): boolean {
  setThreadsCount(threads);
  // TF.js's C++ also caps the count at half the logical cores it is told of (navigator.hardwareConcurrency).
  if (typeof navigator !== 'undefined' && navigator.hardwareConcurrency < 2 * threads) tellCores(2 * threads);
  const engine = tf.engine() as unknown as TensorMover;
  // The registry holds started backends only (findBackend would start WASM, with the count it had).
  const running = engine.registry['wasm'];
  if (!running || !canThread || getThreadsCount() === threads) return false;
  const host = tf.findBackend('cpu')!;
  for (const t of held)
    if (!t.isDisposed && engine.state.tensorInfo.get(t.dataId)?.backend === running)
      engine.moveData(host, t.dataId);
  if (running.numDataIds() > 0) return false;
  const factory = tf.findBackendFactory('wasm')!;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, WASM_PRIORITY);
  return true;
}

/**
 * The logical core count TF.js's WASM is told of in this thread (it takes min(8, cores / 2) threads, and no more than
 * that when asked for more), before it starts.
 */
export function tellCores(cores: number): void {
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores, configurable: true });
}

/** What of TF.js's engine moves a tensor's data to another backend (as it does itself when a kernel reads it there). */
interface TensorMover {
  registry: Record<string, tf.KernelBackend | undefined>;
  state: { tensorInfo: { get(dataId: object): { backend: tf.KernelBackend } | undefined } };
  moveData(backend: tf.KernelBackend, dataId: object): void;
}

/** TF.js's priority of the WASM backend (`@tensorflow/tfjs-backend-wasm`'s base.ts), kept when it is registered again. */
const WASM_PRIORITY = 2;

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function reasonFor(name: BackendName): string {
  switch (name) {
    case 'webgpu':
      return 'WebGPU is not available in this browser (try a current Chrome, or enable WebGPU)';
    case 'webgl':
      return 'WebGL could not start (no GPU access, or it is disabled)';
    case 'wasm':
      return 'WebAssembly could not start';
    case 'cpu':
      return 'the CPU backend could not start';
  }
}

/**
 * Backends whose tensors live in host memory, where reading a tensor is cheap. There the embedding
 * gradient is scatter-added in a plain loop: WASM has no UnsortedSegmentSum kernel, and the CPU
 * backend's loops over every vocabulary row (30k × tokens × hidden: a minute per step for BERT-tiny).
 */
export function tensorsOnHost(backend: string): boolean {
  return backend === 'cpu' || backend === 'wasm';
}

/**
 * Backends whose matrix multiply is fast only with plain operands. On WASM (XNNPACK), a BatchMatMul with a
 * transposed operand is 10–16× slower than an explicit Transpose followed by a plain one: 617 ms against
 * 39 ms for xᵀ·dy with x [4096, 512] (measured here). Autodiff's matMul gradients all take a transposed
 * operand. The CPU backend is as slow either way; WebGPU and WebGL transpose for free inside the kernel.
 */
export function prefersPlainMatMul(backend: string): boolean {
  return backend === 'wasm';
}
