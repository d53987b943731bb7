/**
 * Ranking metrics for recommendation: how well the scores order each group's rows (a user's reviews, or an
 * item's), averaged over groups. Pure functions, checked against scikit-learn's `ndcg_score` and
 * `average_precision_score` on committed vectors (ranking.test.ts, scripts/reference/ranking_golden.py).
 */

export interface RankingMetrics {
  /** Groups in the split (distinct group ids). */
  groups: number;
  /** Mean NDCG@5 and @10 over groups of two or more rows; gain = rating − the scale's minimum. */
  ndcg5: number | null;
  ndcg10: number | null;
  /** Mean average precision (positive = rating ≥ threshold) over groups with a positive row. */
  map: number | null;
  /** Mean pairwise AUC over groups with two or more distinct ratings, and how many such groups there are. */
  groupAuc: number | null;
  aucGroups: number;
}

/** Indices of the distinct scores, highest first, each with the rows that share it. */
function tieGroupsDescending(scores: readonly number[]): number[][] {
  const order = [...scores.keys()].sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const out: number[][] = [];
  for (const i of order) {
    const last = out.at(-1);
    if (last && scores[last[0] as number] === scores[i]) last.push(i);
    else out.push([i]);
  }
  return out;
}

const discount = (position: number) => 1 / Math.log2(position + 2);

/**
 * NDCG@k of one group, as scikit-learn's `ndcg_score` (ignore_ties=False): rows with equal scores share the
 * mean of their gains over the positions they occupy; 0 when every gain is 0.
 */
export function ndcgAt(gains: readonly number[], scores: readonly number[], k: number): number {
  let dcg = 0;
  let position = 0;
  for (const tied of tieGroupsDescending(scores)) {
    const mean = tied.reduce((s, i) => s + (gains[i] as number), 0) / tied.length;
    for (let p = position; p < Math.min(position + tied.length, k); p++) dcg += mean * discount(p);
    position += tied.length;
  }
  const ideal = [...gains].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((s, g, p) => s + g * discount(p), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

/**
 * Average precision of one group, as scikit-learn's `average_precision_score`: Σ (Rₙ − Rₙ₋₁)·Pₙ over the
 * distinct scores, highest first (tied rows enter together); null without a positive row.
 */
export function averagePrecision(positive: readonly boolean[], scores: readonly number[]): number | null {
  const total = positive.filter(Boolean).length;
  if (total === 0) return null;
  let [tp, seen, ap] = [0, 0, 0];
  for (const tied of tieGroupsDescending(scores)) {
    const hits = tied.filter((i) => positive[i]).length;
    tp += hits;
    seen += tied.length;
    ap += (hits / total) * (tp / seen);
  }
  return ap;
}

/**
 * The probability that, of two rows with different ratings, the higher-rated one scores higher (ties in score
 * count one half): ROC AUC when there are two ratings, its graded form otherwise. null with one rating only.
 */
export function pairwiseAuc(ratings: readonly number[], scores: readonly number[]): number | null {
  const counts = new Map<number, number>();
  for (const r of ratings) counts.set(r, (counts.get(r) ?? 0) + 1);
  const n = ratings.length;
  const pairs = (n * n - [...counts.values()].reduce((s, c) => s + c * c, 0)) / 2;
  if (pairs === 0) return null;
  const below = new Map<number, number>(); // rows with a lower score, by rating
  let concordant = 0;
  let tiedPairs = 0;
  for (const tied of tieGroupsDescending(scores).reverse()) {
    for (const i of tied) {
      const r = ratings[i] as number;
      for (const [rating, c] of below) if (rating < r) concordant += c;
    }
    const within = new Map<number, number>();
    for (const i of tied) within.set(ratings[i] as number, (within.get(ratings[i] as number) ?? 0) + 1);
    const m = tied.length;
    tiedPairs += (m * m - [...within.values()].reduce((s, c) => s + c * c, 0)) / 2;
    for (const [rating, c] of within) below.set(rating, (below.get(rating) ?? 0) + c);
  }
  return (concordant + tiedPairs / 2) / pairs;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Every ranking metric of a split, its rows grouped by `groups` (one id per row). */
export function rankingMetrics(
  groups: readonly string[],
  ratings: readonly number[],
  scores: readonly number[],
  threshold: number,
  minRating: number,
): RankingMetrics {
  const rows = new Map<string, number[]>();
  groups.forEach((g, i) => (rows.get(g) ?? rows.set(g, []).get(g)!).push(i));
  const [n5, n10, aps, aucs]: [number[], number[], number[], number[]] = [[], [], [], []];
  for (const idx of rows.values()) {
    const r = idx.map((i) => ratings[i] as number);
    const s = idx.map((i) => scores[i] as number);
    if (idx.length >= 2) {
      const gains = r.map((v) => v - minRating);
      n5.push(ndcgAt(gains, s, 5));
      n10.push(ndcgAt(gains, s, 10));
    }
    const ap = averagePrecision(
      r.map((v) => v >= threshold),
      s,
    );
    if (ap !== null) aps.push(ap);
    const a = pairwiseAuc(r, s);
    if (a !== null) aucs.push(a);
  }
  return {
    groups: rows.size,
    ndcg5: mean(n5),
    ndcg10: mean(n10),
    map: mean(aps),
    groupAuc: mean(aucs),
    aucGroups: aucs.length,
  };
}
