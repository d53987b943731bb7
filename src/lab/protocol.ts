import type { Calls } from '../shared/protocol';
import type { BenchOptions, BenchResult } from './bench';

/**
 * The lab's calls, answered only by the lab's Worker (`lab.worker.ts`): the benchmark page's, and the e2e tests'
 * hooks (test.html, the e2e tests' page, runs the studio on that Worker). The studio's own Worker does not know them.
 */
export interface LabCalls extends Calls {
  bench: { params: { options: BenchOptions }; reply: BenchResult };
  /** Destroys the WebGPU device, as a lost GPU would. */
  loseDevice: { params: Record<string, never>; reply: null };
  /** Makes WebGPU report an uncaptured validation error, as a refused kernel would. */
  gpuError: { params: Record<string, never>; reply: null };
}

/** The lab's calls beyond the studio's: what the lab's handlers answer (`labHandlers.ts`). */
export type LabOnlyCalls = Omit<LabCalls, keyof Calls>;
