import type { Params, Reply } from '../shared/protocol';
import { webgpuDevice, type GpuHealth } from './gpuHealth';

/**
 * What the e2e tests cannot do from outside: lose the GPU device, or make WebGPU refuse work, as real failures
 * would. The Worker answers them only when init was asked for them (`?test-hooks` in the page's address).
 */
export function testHooks(health: GpuHealth): {
  loseDevice: (p: Params<'loseDevice'>) => Reply<'loseDevice'>;
  gpuError: (p: Params<'gpuError'>) => Reply<'gpuError'>;
} {
  return {
    loseDevice: () => (health.lose(), null),
    // An invalid buffer (usage 0): WebGPU reports it as an uncaptured validation error, as it would a refused kernel.
    gpuError: () => (webgpuDevice()?.createBuffer({ size: 4, usage: 0 }), null),
  };
}
