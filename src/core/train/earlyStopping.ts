import type { EvalMetrics } from './evaluate';
import type { StopperState } from './runState';

export type StopMetric = 'auc' | 'loss';

/**
 * Early stopping's bookkeeping, without tensors: which metric it watches, the best trained step so far, and
 * when patience runs out. AUC is watched when asked for and defined on the validation set; otherwise the
 * validation loss — the metric actually used is `metric`, and `note` says why when it differs.
 *
 * Only evaluations after training began compete for "best" (as Hugging Face's Trainer): the untrained model's
 * score (the baseline) is kept to compare with, never chosen. On a small validation set the AUC moves by
 * chance, and a run that kept its step-0 weights would export the random initialisation as its result.
 */
export class EarlyStopper {
  readonly metric: StopMetric;
  readonly note: string | null;
  private readonly untrained: number;
  private best: { score: number; step: number } | null = null;
  private sinceBest = 0;

  constructor(
    asked: StopMetric,
    private readonly patience: number,
    private readonly baseline: EvalMetrics,
  ) {
    this.metric = asked === 'auc' && baseline.auc !== null ? 'auc' : 'loss';
    this.note =
      asked === 'auc' && this.metric === 'loss'
        ? 'Validation AUC is undefined (every validation rating is on one side of the positive threshold), so early stopping and the best-weights choice use the validation loss.'
        : null;
    this.untrained = this.score(baseline);
  }

  get enabled(): boolean {
    return this.patience > 0;
  }

  /** The best trained evaluation's step; null before the first. */
  get bestStep(): number | null {
    return this.best?.step ?? null;
  }

  /** Its bookkeeping, to save with a run's state. */
  state(): StopperState {
    return {
      bestScore: this.best?.score ?? null,
      bestStep: this.best?.step ?? null,
      sinceBest: this.sinceBest,
    };
  }

  /** Takes up saved bookkeeping (a resumed run; one saved before this rule may name step 0: not a trained one). */
  restore(s: StopperState): void {
    this.best =
      s.bestStep === null || s.bestStep === 0 || s.bestScore === null
        ? null
        : { score: s.bestScore, step: s.bestStep };
    this.sinceBest = s.sinceBest;
  }

  /** Records a trained evaluation: `improved` (keep these weights) and `stop` (patience ran out). */
  observe(step: number, m: EvalMetrics): { improved: boolean; stop: boolean } {
    const score = this.score(m);
    if (this.best === null || score > this.best.score) {
      this.best = { score, step };
      this.sinceBest = 0;
      return { improved: true, stop: false };
    }
    this.sinceBest++;
    return { improved: false, stop: this.enabled && this.sinceBest >= this.patience };
  }

  stopMessage(step: number): string {
    return `Early stopping at step ${step}: validation ${this.metric === 'auc' ? 'AUC' : 'loss'} has not improved for ${this.sinceBest} evaluations; keeping step ${this.best?.step ?? step}.`;
  }

  /**
   * Said when no trained evaluation beat the untrained model on the watched metric (null otherwise): what
   * happened, on how many rows, and the likely causes.
   */
  neverBeatUntrained(): string | null {
    if (this.best === null || this.best.score > this.untrained) return null;
    const [what, show] =
      this.metric === 'auc'
        ? ['AUC', (x: number) => x.toFixed(3)]
        : ['loss', (x: number) => (-x).toPrecision(4)];
    const few =
      this.baseline.n < 200 ? `too few validation rows (${this.baseline.n}) for a stable ${what}, or ` : '';
    return `The fine-tuned model never beat the untrained one on validation ${what}: ${show(this.best.score)} at best (step ${this.best.step}) against ${show(this.untrained)} before training, on ${this.baseline.n} rows. Likely ${few}a learning rate too high for this data.`;
  }

  private score(m: EvalMetrics): number {
    // An undefined AUC later in the run (it can't be: the validation set is fixed) would score −∞.
    return this.metric === 'auc' ? (m.auc ?? -Infinity) : -m.loss;
  }
}
