/** "1h02m", "3m05s", "42s" — for ETA displays. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Exponential moving average of a loss curve, as plotted beside the raw points (bias-corrected). */
export function smooth(values: readonly number[], weight = 0.9): number[] {
  const out: number[] = [];
  let avg = 0;
  values.forEach((v, i) => {
    avg = weight * avg + (1 - weight) * v;
    out.push(avg / (1 - weight ** (i + 1)));
  });
  return out;
}

export interface ProgressPoint {
  step: number;
  totalSteps: number;
  /** Fractional epoch, e.g. 1.5 = halfway through the second epoch. */
  epoch: number;
  loss: number;
  learningRate: number;
  examplesPerSecond: number;
  etaSeconds: number;
}

/**
 * Throughput and ETA over the whole run so far (steps resolve in bursts when reads are asynchronous,
 * so per-step timing would jitter). The clock is injectable for tests.
 */
export class ProgressMeter {
  private examplesDone = 0;
  private readonly start: number;

  constructor(
    private readonly plan: {
      totalSteps: number;
      stepsPerEpoch: number;
      batchSize: number;
      microPerStep: number;
    },
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = now();
  }

  /** The point for a finished step of `examples` examples. */
  record(step: number, examples: number, loss: number, learningRate: number): ProgressPoint {
    this.examplesDone += examples;
    const rate = (this.examplesDone * 1000) / Math.max(1, this.now() - this.start);
    const perStep = this.plan.batchSize * this.plan.microPerStep;
    return {
      step,
      totalSteps: this.plan.totalSteps,
      epoch: step / this.plan.stepsPerEpoch,
      loss,
      learningRate,
      examplesPerSecond: rate,
      etaSeconds: ((this.plan.totalSteps - step) * perStep) / Math.max(rate, 1e-9),
    };
  }
}
