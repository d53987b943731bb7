/**
 * A WebGPU bench entry as ms per training step: the part TF.js's timer gives its kernels (GPU time where the adapter
 * offers timestamp queries), the rest (the CPU's: recording, the API, waiting) and the dispatches and submits counted
 * at the WebGPU API. `npm run gpu-report` writes one per shape.
 */
export interface BenchEntry {
  shape: string;
  backend: string;
  batchSize: number;
  trainExamplesPerSecond: number;
  profile?: {
    kernels: number;
    kernelMs: number;
    api?: { trainStep: { dispatches: number; submits: number } };
  };
}

export interface PerStep {
  shape: string;
  msPerStep: number;
  kernelMs: number;
  otherMs: number;
  kernels: number;
  dispatches: number | null;
  submits: number | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** One row per profiled WebGPU entry; anything else (another backend, no profile, no speed) is left out. */
export function perStep(entries: unknown): PerStep[] {
  if (!Array.isArray(entries)) return [];
  return (entries as BenchEntry[])
    .filter((e) => e.backend === 'webgpu' && e.profile && e.trainExamplesPerSecond > 0)
    .map((e) => {
      const profile = e.profile!;
      const ms = (1000 * e.batchSize) / e.trainExamplesPerSecond;
      return {
        shape: e.shape,
        msPerStep: round2(ms),
        kernelMs: round2(profile.kernelMs),
        otherMs: round2(Math.max(0, ms - profile.kernelMs)),
        kernels: profile.kernels,
        dispatches: profile.api?.trainStep.dispatches ?? null,
        submits: profile.api?.trainStep.submits ?? null,
      };
    });
}
