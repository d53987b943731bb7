import type { EvalMetrics } from './evaluate';
import type { StopperState } from './runState';

export type StopMetric = 'auc' | 'loss';

/**
 * Early stopping's bookkeeping, without tensors: which metric it watches, the best step so far, and when
 * patience runs out. AUC is watched when asked for and defined on the validation set; otherwise the
 * validation loss — the metric actually used is `metric`, and `note` says why when it differs.
 */
export class EarlyStopper {
  readonly metric: StopMetric;
  readonly note: string | null;
  private best: { score: number; step: number };
  private sinceBest = 0;

  constructor(
    asked: StopMetric,
    private readonly patience: number,
    baseline: EvalMetrics,
  ) {
    this.metric = asked === 'auc' && baseline.auc !== null ? 'auc' : 'loss';
    this.note =
      asked === 'auc' && this.metric === 'loss'
        ? 'Validation AUC is undefined (every validation rating is on one side of the positive threshold), so early stopping and the best-weights choice use the validation loss.'
        : null;
    this.best = { score: this.score(baseline), step: 0 };
  }

  get enabled(): boolean {
    return this.patience > 0;
  }

  get bestStep(): number {
    return this.best.step;
  }

  /** Its bookkeeping, to save with a run's state. */
  state(): StopperState {
    return { bestScore: this.best.score, bestStep: this.best.step, sinceBest: this.sinceBest };
  }

  /** Takes up saved bookkeeping (a resumed run). */
  restore(s: StopperState): void {
    this.best = { score: s.bestScore, step: s.bestStep };
    this.sinceBest = s.sinceBest;
  }

  /** Records an evaluation: `improved` (keep these weights) and `stop` (patience ran out). */
  observe(step: number, m: EvalMetrics): { improved: boolean; stop: boolean } {
    const score = this.score(m);
    if (score > this.best.score) {
      this.best = { score, step };
      this.sinceBest = 0;
      return { improved: true, stop: false };
    }
    this.sinceBest++;
    return { improved: false, stop: this.enabled && this.sinceBest >= this.patience };
  }

  stopMessage(step: number): string {
    return `Early stopping at step ${step}: validation ${this.metric === 'auc' ? 'AUC' : 'loss'} has not improved for ${this.sinceBest} evaluations; keeping step ${this.best.step}.`;
  }

  private score(m: EvalMetrics): number {
    // An undefined AUC later in the run (it can't be: the validation set is fixed) would score −∞.
    return this.metric === 'auc' ? (m.auc ?? -Infinity) : -m.loss;
  }
}
