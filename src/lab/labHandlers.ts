import type { Handlers, SessionParts } from '../worker/session';
import { webgpuDevice } from '../worker/gpuHealth';
import { runBenchmark } from './bench';
import type { LabOnlyCalls } from './protocol';

/**
 * The lab Worker's own calls: the benchmark, and what the e2e tests cannot do from outside — lose the GPU device,
 * or make WebGPU refuse work, as real failures would.
 */
export function labHandlers({ health, assertIdle }: SessionParts): Handlers<LabOnlyCalls> {
  return {
    bench: (p) => (assertIdle(), runBenchmark(p.options)),
    loseDevice: () => (health.lose(), null),
    // An invalid buffer (usage 0): WebGPU reports it as an uncaptured validation error, as it would a refused kernel.
    gpuError: () => (webgpuDevice()?.createBuffer({ size: 4, usage: 0 }), null),
  };
}
