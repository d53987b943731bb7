import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accuracy, auc, macroF1, mae, rmse, rocCurve } from './metrics';

interface Case {
  ratings: number[];
  scores: number[];
  positive: boolean[];
  pred_rating: number[];
  truth_class: number[];
  pred_class: number[];
  auc: number;
  rmse: number;
  mae: number;
  accuracy: number;
  macro_f1: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../test-fixtures/metrics/golden.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
};

describe('metrics equal scikit-learn', () => {
  it.each(golden.cases.map((c, i) => [i, c.ratings.length, c] as const))('case %i (n = %i)', (_i, _n, c) => {
    expect(auc(c.positive, c.scores)).toBeCloseTo(c.auc, 12);
    expect(rmse(c.ratings, c.pred_rating)).toBeCloseTo(c.rmse, 12);
    expect(mae(c.ratings, c.pred_rating)).toBeCloseTo(c.mae, 12);
    expect(accuracy(c.truth_class, c.pred_class)).toBeCloseTo(c.accuracy, 12);
    expect(macroF1(c.truth_class, c.pred_class, 5)).toBeCloseTo(c.macro_f1, 12);
  });
});

describe('auc by hand', () => {
  it('perfect, inverted, all tied', () => {
    expect(auc([false, false, true, true], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(auc([true, true, false, false], [0.1, 0.2, 0.8, 0.9])).toBe(0);
    expect(auc([true, false, true, false], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });
  it('one tie between a positive and a negative counts one half', () => {
    // pairs: (p1=.9 vs n=.5) 1, (p2=.5 vs n=.5) 0.5 → 0.75
    expect(auc([true, true, false], [0.9, 0.5, 0.5])).toBe(0.75);
  });
  it('is null with a single class', () => {
    expect(auc([true, true], [0.1, 0.2])).toBeNull();
  });
});

describe('rocCurve', () => {
  it('runs from (0,0) to (1,1), one point per distinct score', () => {
    const pts = rocCurve([false, true, true, false], [0.1, 0.9, 0.5, 0.5]);
    expect(pts.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
  });
});
