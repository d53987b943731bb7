import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auc } from './metrics';
import { averagePrecision, ndcgAt, pairwiseAuc, rankingMetrics } from './ranking';

// scikit-learn's ndcg_score and average_precision_score per group (scripts/reference/ranking_golden.py).
const golden = JSON.parse(readFileSync('test-fixtures/metrics/ranking.json', 'utf8')) as {
  cases: Array<{
    groups: string[];
    ratings: number[];
    scores: number[];
    ndcg5: number;
    ndcg10: number;
    map: number;
    ndcgGroups: number;
    mapGroups: number;
  }>;
};

describe('ranking metrics against scikit-learn', () => {
  it.each(golden.cases.map((c, i) => [i, c] as const))(
    'case %i: mean NDCG@5, @10 and MAP over groups',
    (_, c) => {
      const m = rankingMetrics(c.groups, c.ratings, c.scores, 4, 1);
      expect(m.groups).toBe(new Set(c.groups).size);
      expect(m.ndcg5).toBeCloseTo(c.ndcg5, 12);
      expect(m.ndcg10).toBeCloseTo(c.ndcg10, 12);
      expect(m.map).toBeCloseTo(c.map, 12);
    },
  );
});

describe('ranking metrics by hand', () => {
  it('NDCG: a perfect order is 1, ties share their gains, and all-zero gains give 0', () => {
    expect(ndcgAt([3, 2, 0], [0.9, 0.5, 0.1], 10)).toBe(1);
    // Scores tie for the first two places: each gets the mean gain (1.5) → (1.5 + 1.5/log2 3) / (3 + 0).
    expect(ndcgAt([3, 0], [0.5, 0.5], 10)).toBeCloseTo((1.5 + 1.5 / Math.log2(3)) / 3, 12);
    expect(ndcgAt([0, 0], [0.2, 0.1], 5)).toBe(0);
    // Only the top k count: the relevant row ranked 2nd is out of NDCG@1.
    expect(ndcgAt([0, 1], [0.9, 0.1], 1)).toBe(0);
  });

  it('average precision: (1/1 + 2/3) / 2 for positives ranked 1st and 3rd; null without a positive', () => {
    expect(averagePrecision([true, false, true], [0.9, 0.8, 0.7])).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(averagePrecision([false, false], [0.9, 0.8])).toBeNull();
  });

  it('pairwise AUC equals ROC AUC on two ratings and a brute-force count on more, ties counting one half', () => {
    const ratings = [1, 5, 5, 1, 5, 1, 1];
    const scores = [0.1, 0.9, 0.4, 0.4, 0.8, 0.2, 0.9];
    expect(pairwiseAuc(ratings, scores)).toBeCloseTo(
      auc(
        ratings.map((r) => r >= 4),
        scores,
      )!,
      12,
    );
    const graded = [1, 2, 3, 3, 5, 4, 2, 1];
    const s = [0.3, 0.3, 0.5, 0.9, 0.8, 0.8, 0.1, 0.2];
    let [num, den] = [0, 0];
    for (let i = 0; i < graded.length; i++)
      for (let j = 0; j < graded.length; j++) {
        if (graded[i]! <= graded[j]!) continue;
        den++;
        num += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
    expect(pairwiseAuc(graded, s)).toBeCloseTo(num / den, 12);
    expect(pairwiseAuc([4, 4], [0.1, 0.2])).toBeNull();
  });

  it('averages over the groups each metric is defined on', () => {
    const m = rankingMetrics(['a', 'a', 'b', 'c', 'c'], [5, 1, 4, 2, 2], [0.9, 0.1, 0.5, 0.3, 0.4], 4, 1);
    // a: perfect (NDCG 1, AP 1, AUC 1); b: one row (no NDCG, AP 1, no AUC); c: gains 1,1 → NDCG 1, no positive, one rating.
    expect(m).toEqual({ groups: 3, ndcg5: 1, ndcg10: 1, map: 1, groupAuc: 1, aucGroups: 1 });
  });
});
