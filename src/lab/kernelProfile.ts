import * as tf from '@tensorflow/tfjs';

/** One kernel's part of a profiled training step. */
export interface KernelShare {
  name: string;
  calls: number;
  ms: number;
  /** Share of the step's summed kernel time, 0–1. */
  share: number;
}

export interface StepProfile {
  backend: string;
  /** Kernels run in the step (on WebGPU, each is about one dispatch). */
  kernels: number;
  kernelMs: number;
  /** Kernels by name, the most expensive first. */
  top: KernelShare[];
}

/**
 * Kernel times grouped by name, most expensive first; kernels without a time count as 0 ms. Entries named
 * "unnamed scope" wrap other kernels (tf.customGrad) and are left out: their time is their kernels'. Pure.
 */
export function summarizeKernels(
  kernels: ReadonlyArray<{ name: string; ms: number | null }>,
  top = 12,
): Omit<StepProfile, 'backend'> {
  const byName = new Map<string, { calls: number; ms: number }>();
  let total = 0;
  const real = kernels.filter((k) => k.name !== 'unnamed scope');
  for (const k of real) {
    const ms = k.ms ?? 0;
    total += ms;
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    byName.set(k.name, { calls: e.calls + 1, ms: e.ms + ms });
  }
  const rows = [...byName]
    .map(([name, e]) => ({ name, calls: e.calls, ms: e.ms, share: total > 0 ? e.ms / total : 0 }))
    .sort((a, b) => b.ms - a.ms || b.calls - a.calls)
    .slice(0, top);
  return { kernels: real.length, kernelMs: total, top: rows };
}

/** Runs `step` once under tf.profile and summarizes its kernels (times as the backend's timer reports them). */
export async function profileStep(step: () => tf.TensorContainer): Promise<StepProfile> {
  const info = await tf.profile(step);
  tf.dispose(info.result);
  const kernels = await Promise.all(
    info.kernels.map(async (k) => {
      const t = await k.kernelTimeMs;
      return { name: k.name, ms: typeof t === 'number' ? t : null };
    }),
  );
  return { backend: tf.getBackend(), ...summarizeKernels(kernels) };
}
