import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { TabTuneError } from './errors';
import { registerKernels } from './runtime/kernels';

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
 * min(8, cores / 2)); it takes effect only before WASM first starts in this thread.
 */
export async function chooseBackend(
  order: readonly BackendName[],
  wasmThreads: number | null = null,
): Promise<BackendChoice> {
  const skipped: BackendChoice['skipped'] = [];
  registerKernels(); // ours, before any backend starts
  if (wasmThreads !== null) setThreadsCount(wasmThreads);
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
