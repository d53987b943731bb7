import * as tf from '@tensorflow/tfjs';

/**
 * TabTune's kernels on the active backend, swapped for wrappers while a check runs: each call counted (so a check
 * can show that it took the kernel it is about, not TF.js's composite), and one kernel — the mutation — made to
 * write a wrong value into its first float32 output, as a broken kernel would (so a check can show that it fails
 * when the kernel is wrong). The registry is put back as it was afterwards.
 */

/** What a mutated kernel writes into its output's first value: far outside anything a check compares. */
export const POISON = 1e6;

/** The mutation's name, as the checks page and the tests say it. */
export const mutationName = (kernel: string) =>
  `${kernel}: the first value of its first float32 output written as ${POISON}`;

/** The names of TabTune's own kernels registered for `backend`. */
export function ourKernels(backend: string): string[] {
  return tf
    .getKernelsForBackend(backend)
    .map((k) => k.kernelName)
    .filter((n) => n.startsWith('TabTune'));
}

/** Runs `fn` with `kernels` of the active backend wrapped; `mutate`, one of them, writes POISON into its output. */
export async function withKernelsWrapped<T>(
  kernels: readonly string[],
  fn: () => Promise<T>,
  mutate: string | null = null,
): Promise<{ result: T; calls: Map<string, number> }> {
  const backend = tf.getBackend();
  const calls = new Map<string, number>();
  const originals = kernels.flatMap((name) => {
    const config = tf.getKernel(name, backend);
    return config ? [config] : [];
  });
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        calls.set(config.kernelName, (calls.get(config.kernelName) ?? 0) + 1);
        const out = config.kernelFunc(args);
        if (config.kernelName === mutate) poison(Array.isArray(out) ? out : [out], args.backend);
        return out;
      },
    });
  }
  try {
    return { result: await fn(), calls };
  } finally {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backend);
      tf.registerKernel(config);
    }
  }
}

interface WasmHeap {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}
interface WebGpuBuffers {
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  device: { queue: { writeBuffer(b: unknown, offset: number, data: Float32Array): void } };
  tensorMap: { get(id: object): { resource?: unknown } | undefined };
}

/** Writes POISON into the first value of the first float32 output, on WASM's heap or WebGPU's buffer. */
function poison(outputs: tf.TensorInfo[], backend: unknown): void {
  const out = outputs.find((o) => o.dtype === 'float32');
  if (!out) return;
  if (tf.getBackend() === 'wasm') {
    (backend as WasmHeap).typedArrayFromHeap(out)[0] = POISON;
    return;
  }
  const gpu = backend as WebGpuBuffers;
  // The kernel's dispatch submitted first (its compute pass ended, as TF.js does before it submits), then the write.
  gpu.ensureCommandEncoderReady();
  gpu.endComputePassEncoder();
  gpu.submitQueue();
  const resource = gpu.tensorMap.get(out.dataId)?.resource;
  if (!resource) throw new Error('the mutated kernel has no output buffer to write into');
  gpu.device.queue.writeBuffer(resource, 0, new Float32Array([POISON]));
}
