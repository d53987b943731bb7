import type { LabelSpec } from '../data/labels';

/** One scored example of the test split, as the Results step shows it. */
export interface ScoredExample {
  line: number;
  text: string;
  /** The second text of a pair, when the model reads pairs. */
  pair?: string | null;
  rating: number;
  /** Predicted rating (regression, classification) or P(positive) (binary). */
  score: number;
  /** What AUC ranks by. */
  rankScore: number;
}

/** The `k` examples the model got most wrong: by |predicted − true rating|, or by |P − truth| for binary. */
export function worstErrors(
  spec: LabelSpec,
  scored: readonly ScoredExample[],
  k = 10,
): Array<ScoredExample & { error: number }> {
  const errorOf = (s: ScoredExample) =>
    spec.task === 'binary'
      ? Math.abs(s.score - (s.rating >= spec.threshold ? 1 : 0))
      : Math.abs(s.score - s.rating);
  return scored
    .map((s) => ({ ...s, error: errorOf(s) }))
    .sort((a, b) => b.error - a.error || a.line - b.line)
    .slice(0, k);
}

/** counts[t][p]: examples of true class t predicted as class p. */
export function confusionMatrix(
  truth: readonly number[],
  pred: readonly number[],
  numClasses: number,
): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  truth.forEach((t, i) => {
    const row = m[t];
    const p = pred[i] as number;
    if (row && p >= 0 && p < numClasses) row[p] = (row[p] as number) + 1;
  });
  return m;
}

/** Candidate texts ordered best first by the model's ranking score (ties keep input order). */
export function rankCandidates<T extends { rankScore: number }>(
  items: readonly T[],
): Array<T & { rank: number }> {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => b.item.rankScore - a.item.rankScore || a.i - b.i)
    .map(({ item }, r) => ({ ...item, rank: r + 1 }));
}

/** Counts per bin of width `width` starting at `min` (values ≥ the last edge go to the last bin). */
export function histogram(values: readonly number[], min: number, width: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - min) / width)));
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}
