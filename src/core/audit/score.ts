/*
 * How suspicious each given label is, from an out-of-sample prediction of it (pure; `score.test.ts` checks the
 * numbers against scripts/reference/audit_golden.py).
 *
 * Ratings (regression): a rating is ordinal, so the evidence is the residual e = given − predicted, in stars — a
 * one-star review predicted at 4.8 (e = −3.8) far above a four-star predicted at 3.1. A row's suspicion is
 * 1 − the chance that a correct rating lies as far from its prediction, the residuals taken as normal with their
 * root mean square σ: erf(|e| / (σ√2)). It ranks rows as |e| does (the plain cross-fitted residual, the best
 * ranking measured in docs/audit.md) and reads as a two-sided p-value: 0.95 is about 2σ. The rows likely wrong
 * are those half the scale or more from their prediction (2 stars on 1–5): on 3,000 real reviews that counts
 * 80 before any rating is flipped and 186 with 150 flipped (docs/audit.md).
 *
 * Classes (classification, binary): confident learning (Northcutt et al. 2021). Suspicion is 1 − p(given label),
 * cleanlab's self-confidence ranking; the estimate counts rows whose confident label differs from the given one:
 * a class j is confident for a row when p_j reaches t_j, the mean p_j of the rows labelled j, and the row's
 * confident label is the likeliest of its confident classes; rating classes count only when half the scale apart.
 */

export interface LabelScores {
  /** Per row, 0–1: how likely the given label is wrong. */
  suspicion: Float64Array;
  /** How many of the rows are likely wrong. */
  estimatedWrong: number;
}

export function ratingScores(
  given: readonly number[],
  predicted: readonly number[],
  scale: { min: number; max: number },
): LabelScores & { sigma: number } {
  const residual = given.map((g, i) => g - predicted[i]!);
  const span = scale.max - scale.min;
  const sigma = Math.max(Math.sqrt(residual.reduce((s, e) => s + e * e, 0) / residual.length), span * 1e-6);
  return {
    suspicion: Float64Array.from(residual, (e) => erf(Math.abs(e) / (sigma * Math.SQRT2))),
    estimatedWrong: residual.filter((e) => Math.abs(e) >= span / 2).length,
    sigma,
  };
}

/** The error function, to 1.2e-7 (Numerical Recipes' erfc by Chebyshev fit). */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x >= 0 ? 1 - erfc : erfc - 1;
}

/**
 * `probabilities[i][j]`: row i's out-of-sample probability of class j; `given[i]`: its labelled class; `values[j]`:
 * class j's rating. A row counts as likely wrong when its confident class's rating is `minGap` or more from the
 * given one: ratings are ordinal, and a four-star review confidently a five is a matter of taste, not a mis-click
 * (half the scale, as for ratings; binary classes are 1 apart).
 */
export function classScores(
  given: readonly number[],
  probabilities: readonly (readonly number[])[],
  values: readonly number[],
  minGap: number,
): LabelScores {
  const k = probabilities[0]?.length ?? 0;
  const sum = new Float64Array(k);
  const count = new Float64Array(k);
  given.forEach((g, i) => {
    sum[g]! += probabilities[i]![g]!;
    count[g]! += 1;
  });
  const threshold = Array.from(sum, (s, j) => (count[j]! > 0 ? s / count[j]! : Infinity));
  let wrong = 0;
  given.forEach((g, i) => {
    const p = probabilities[i]!;
    let confident = -1;
    for (let j = 0; j < k; j++)
      if (p[j]! >= threshold[j]! && (confident < 0 || p[j]! > p[confident]!)) confident = j;
    if (confident >= 0 && Math.abs(values[confident]! - values[g]!) >= minGap) wrong += 1;
  });
  return {
    suspicion: Float64Array.from(given, (g, i) => 1 - probabilities[i]![g]!),
    estimatedWrong: wrong,
  };
}
