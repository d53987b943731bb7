import { aucInterval } from './interval';
import { auc } from './metrics';
import { averagePrecision } from './ranking';

/*
 * The metrics of a multi-label task: per label its AUC with DeLong's 95 % interval, its average precision and its F1
 * at a threshold of its own (chosen on validation, applied as it is to test), and the macro (mean over the labels
 * that have both classes) and micro (every row-label pair pooled) AUC. Pure.
 */

export interface LabelMetrics {
  auc: number | null;
  auc_95_interval: [number, number] | null;
  ap: number | null;
  f1: number;
  threshold: number;
}

export interface MultiLabelMetrics {
  per_label: Record<string, LabelMetrics>;
  macro_auc: number | null;
  micro_auc: number | null;
}

/** F1 of "probability ≥ threshold" against the truth (0 when there is no positive row and none predicted). */
export function f1At(positive: readonly boolean[], probs: readonly number[], threshold: number): number {
  let [tp, fp, fn] = [0, 0, 0];
  probs.forEach((p, i) => {
    const predicted = p >= threshold;
    if (predicted && positive[i]) tp++;
    else if (predicted) fp++;
    else if (positive[i]) fn++;
  });
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/**
 * The threshold with the best F1 over the distinct probabilities (each a candidate "≥ p"), ties to the higher
 * threshold (fewer rows called positive); 0.5 where no row is positive.
 */
export function bestF1Threshold(
  positive: readonly boolean[],
  probs: readonly number[],
): { threshold: number; f1: number } {
  const total = positive.filter(Boolean).length;
  if (total === 0) return { threshold: 0.5, f1: 0 };
  const order = probs.map((_, i) => i).sort((a, b) => (probs[b] as number) - (probs[a] as number));
  let best = { threshold: 0.5, f1: -1 };
  let tp = 0;
  let called = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    tp += positive[i] ? 1 : 0;
    called++;
    const next = order[k + 1];
    if (next !== undefined && probs[next] === probs[i]) continue; // tied rows are called together
    const f1 = (2 * tp) / (called + total);
    if (f1 > best.f1) best = { threshold: probs[i] as number, f1 };
  }
  return best;
}

/**
 * Metrics of every label. truth[r][k] is 1 where row r has label k; probs[r][k] the model's probability. Where
 * `thresholds` are given (validation's, for test) each label's F1 is taken at its own; otherwise the best F1's
 * threshold is chosen here (validation).
 */
export function multiLabelMetrics(
  names: readonly string[],
  truth: readonly (readonly number[])[],
  probs: readonly (readonly number[])[],
  thresholds: readonly number[] | null = null,
): MultiLabelMetrics {
  const perLabel: Record<string, LabelMetrics> = {};
  const aucs: number[] = [];
  names.forEach((name, k) => {
    const positive = truth.map((row) => row[k] === 1);
    const p = probs.map((row) => row[k] as number);
    const a = auc(positive, p);
    const ci = aucInterval(positive, p);
    const chosen =
      thresholds !== null
        ? { threshold: thresholds[k] as number, f1: f1At(positive, p, thresholds[k] as number) }
        : bestF1Threshold(positive, p);
    if (a !== null) aucs.push(a);
    perLabel[name] = {
      auc: a,
      auc_95_interval: ci && [ci.low, ci.high],
      ap: averagePrecision(positive, p),
      f1: chosen.f1,
      threshold: chosen.threshold,
    };
  });
  return {
    per_label: perLabel,
    macro_auc: aucs.length > 0 ? aucs.reduce((s, x) => s + x, 0) / aucs.length : null,
    micro_auc: auc(
      truth.flatMap((row) => row.map((v) => v === 1)),
      probs.flatMap((row) => [...row]),
    ),
  };
}
