/**
 * How sure an AUC is: DeLong's 95 % interval for one model's AUC, and for the difference of two models' AUCs on
 * the same rows (paired: the same positives and negatives, so what the rows share cancels). DeLong, DeLong and
 * Clarke-Pearson (1988), computed with midranks as Sun and Xu (2014): each positive's and each negative's
 * "placement" (the share of the other class it outranks, ties one half), whose variances and covariances give
 * the AUC's. The interval is the normal one, clipped to [0, 1] for a single AUC — as R's pROC `ci.auc` (DeLong).
 * Checked against a direct O(positives × negatives) reference on committed vectors (interval.test.ts,
 * scripts/reference/delong_golden.py). Pure.
 */

/** The normal quantile of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export interface AucInterval {
  auc: number;
  low: number;
  high: number;
  /** DeLong's standard error. */
  se: number;
}

export interface PairedAuc {
  n: number;
  positives: number;
  negatives: number;
  /** Model a's AUC, model b's, and a − b with its 95 % interval. */
  a: number;
  b: number;
  difference: number;
  low: number;
  high: number;
}

/** Midranks (1-based, ties averaged) of `xs`. */
function midranks(xs: readonly number[]): number[] {
  const order = [...xs.keys()].sort((i, j) => (xs[i] as number) - (xs[j] as number));
  const ranks = new Array<number>(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && xs[order[j + 1]!] === xs[order[i]!]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** Each positive's placement among the negatives (V10) and each negative's among the positives (V01). */
function placements(
  positive: readonly boolean[],
  scores: readonly number[],
): { v10: number[]; v01: number[] } {
  const pos = scores.filter((_, i) => positive[i]);
  const neg = scores.filter((_, i) => !positive[i]);
  const all = midranks([...pos, ...neg]);
  const [rp, rn] = [midranks(pos), midranks(neg)];
  const [m, n] = [pos.length, neg.length];
  return {
    v10: pos.map((_, i) => (all[i]! - rp[i]!) / n),
    v01: neg.map((_, j) => 1 - (all[m + j]! - rn[j]!) / m),
  };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function covariance(xs: readonly number[], ys: readonly number[]): number {
  const [mx, my] = [mean(xs), mean(ys)];
  return xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / (xs.length - 1);
}

/** Positives and negatives, and whether DeLong's variance is defined (two or more of each). */
function classCounts(positive: readonly boolean[]): { m: number; n: number; defined: boolean } {
  const m = positive.filter(Boolean).length;
  const n = positive.length - m;
  return { m, n, defined: m >= 2 && n >= 2 };
}

/** DeLong's 95 % interval of the AUC; null when either class has fewer than two rows. */
export function aucInterval(positive: readonly boolean[], scores: readonly number[]): AucInterval | null {
  const { m, n, defined } = classCounts(positive);
  if (!defined) return null;
  const { v10, v01 } = placements(positive, scores);
  const auc = mean(v10);
  const se = Math.sqrt(covariance(v10, v10) / m + covariance(v01, v01) / n);
  return { auc, se, low: Math.max(0, auc - Z95 * se), high: Math.min(1, auc + Z95 * se) };
}

/** The paired 95 % interval of AUC(a) − AUC(b) on the same rows; null when either class has fewer than two. */
export function pairedAucDifference(
  positive: readonly boolean[],
  a: readonly number[],
  b: readonly number[],
): PairedAuc | null {
  const { m, n, defined } = classCounts(positive);
  if (!defined) return null;
  const [pa, pb] = [placements(positive, a), placements(positive, b)];
  const [aucA, aucB] = [mean(pa.v10), mean(pb.v10)];
  const part = (x: number[], y: number[]) => covariance(x, x) + covariance(y, y) - 2 * covariance(x, y);
  const se = Math.sqrt(Math.max(0, part(pa.v10, pb.v10) / m + part(pa.v01, pb.v01) / n));
  const difference = aucA - aucB;
  return {
    n: positive.length,
    positives: m,
    negatives: n,
    a: aucA,
    b: aucB,
    difference,
    low: difference - Z95 * se,
    high: difference + Z95 * se,
  };
}

/** "0.912 (0.890–0.934)": an AUC with its 95 % interval, to 3 decimals; "—" when undefined. Pure. */
export function formatAuc(
  m: { auc: number | null; aucCi?: { low: number; high: number } | null } | null,
): string {
  if (m?.auc == null) return '—';
  return m.aucCi
    ? `${m.auc.toFixed(3)} (${m.aucCi.low.toFixed(3)}–${m.aucCi.high.toFixed(3)})`
    : m.auc.toFixed(3);
}
