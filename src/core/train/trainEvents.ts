import type { EvalPoint } from './evaluate';
import type { ProgressPoint } from './progress';
import type { TrainState } from './runState';
import type { SchedulePlan } from './schedule';

/** What a run says as it trains (`train`'s events): its plan, each loss point and evaluation, its log, its state. */
export interface TrainerEvents {
  /** Once, before the baseline evaluation: the run's step counts and schedule. */
  plan?(p: SchedulePlan): void;
  progress?(p: ProgressPoint): void;
  evaluation?(e: EvalPoint): void;
  log?(message: string): void;
  /**
   * The run's state after an evaluation (and after a step once `saveStateEvery` seconds have passed since the
   * last): for a crash-safe save. Training waits for it, so the state is read once, before it changes.
   */
  saveTrainState?(state: TrainState): Promise<void> | void;
}

/** 'paused': at `pauseAt` (a search's rung), to go on later from the saved state. */
export type StopReason = 'completed' | 'early-stopping' | 'stopped' | 'nan' | 'paused';
