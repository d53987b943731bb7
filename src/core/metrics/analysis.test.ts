import { describe, expect, it } from 'vitest';
import { confusionMatrix, histogram, percentile, rankCandidates, worstErrors } from './analysis';

const spec = { task: 'regression' as const, scale: { min: 1, max: 5 }, threshold: 4, classes: [] };
const ex = (line: number, rating: number, score: number) => ({
  line,
  text: `t${line}`,
  rating,
  score,
  rankScore: score,
});

describe('analysis', () => {
  it('worstErrors orders by absolute rating error', () => {
    const w = worstErrors(spec, [ex(2, 5, 4.5), ex(3, 1, 4), ex(4, 3, 3), ex(5, 5, 2)], 2);
    expect(w.map((e) => [e.line, e.error])).toEqual([
      [3, 3],
      [5, 3],
    ]);
  });
  it('worstErrors for binary compares P with the 0/1 truth', () => {
    const w = worstErrors({ ...spec, task: 'binary' }, [ex(2, 5, 0.9), ex(3, 2, 0.8)], 1);
    expect(w[0]!.line).toBe(3);
    expect(w[0]!.error).toBeCloseTo(0.8, 12);
  });
  it('confusionMatrix counts true × predicted', () => {
    expect(confusionMatrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 1],
    ]);
  });
  it('rankCandidates orders by score, ties in input order', () => {
    expect(
      rankCandidates([
        { rankScore: 0.2, t: 'a' },
        { rankScore: 0.9, t: 'b' },
        { rankScore: 0.2, t: 'c' },
      ]).map((r) => [r.t, r.rank]),
    ).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 3],
    ]);
  });
  it('histogram and percentile by hand', () => {
    expect(histogram([1, 2, 2, 5, 9, 0], 1, 1, 5)).toEqual([2, 2, 0, 0, 2]);
    expect([percentile([5, 1, 3, 2, 4], 50), percentile([5, 1, 3, 2, 4], 90), percentile([7], 99)]).toEqual([
      3, 5, 7,
    ]);
  });
});
