import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aucInterval, formatAuc, pairedAucDifference } from './interval';
import { auc } from './metrics';

interface Case {
  positive: boolean[];
  a: number[];
  b: number[];
  auc: number;
  se: number;
  low: number;
  high: number;
  auc_b: number;
  difference: number;
  diff_low: number;
  diff_high: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../test-fixtures/metrics/delong.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

describe('DeLong intervals, against the direct reference (scripts/reference/delong_golden.py)', () => {
  it.each(golden.cases.map((c, i) => [i, c.positive.length, c] as const))('case %i (n = %i)', (_i, _n, c) => {
    const one = aucInterval(c.positive, c.a)!;
    expect(one.auc).toBeCloseTo(c.auc, 12);
    expect(one.auc).toBeCloseTo(auc(c.positive, c.a)!, 12);
    expect(one.se).toBeCloseTo(c.se, 12);
    expect([one.low, one.high]).toEqual([expect.closeTo(c.low, 12), expect.closeTo(c.high, 12)]);
    const d = pairedAucDifference(c.positive, c.a, c.b)!;
    expect([d.a, d.b, d.difference]).toEqual([
      expect.closeTo(c.auc, 12),
      expect.closeTo(c.auc_b, 12),
      expect.closeTo(c.difference, 12),
    ]);
    expect([d.low, d.high]).toEqual([expect.closeTo(c.diff_low, 12), expect.closeTo(c.diff_high, 12)]);
    expect(d.positives + d.negatives).toBe(c.positive.length);
  });
});

describe('aucInterval and pairedAucDifference', () => {
  it('is undefined with fewer than two rows of either class', () => {
    expect(aucInterval([true, false, false], [1, 0, 2])).toBeNull();
    expect(pairedAucDifference([true, true, false], [1, 2, 0], [0, 1, 2])).toBeNull();
  });
  it('clips a single AUC to [0, 1]; a model against itself differs by exactly 0 with a zero-width interval', () => {
    const positive = [true, true, true, false, false, false];
    const perfect = [6, 5, 4, 3, 2, 1];
    expect(aucInterval(positive, perfect)).toEqual({ auc: 1, se: 0, low: 1, high: 1 });
    const noisy = [0.9, 0.2, 0.7, 0.4, 0.8, 0.1];
    const self = pairedAucDifference(positive, noisy, noisy)!;
    expect([self.difference, self.low, self.high]).toEqual([0, 0, 0]);
  });
  it('narrows as rows grow: ±0.1 on 100 rows is about ±0.03 on 1,000', () => {
    const make = (n: number) => {
      const positive = Array.from({ length: n }, (_, i) => i % 2 === 0);
      const scores = positive.map((p, i) => (p ? 0.3 : 0) + ((i * 7919) % 1000) / 1000);
      return aucInterval(positive, scores)!;
    };
    const [small, large] = [make(100), make(1000)];
    expect(small.high - small.low).toBeGreaterThan(2.5 * (large.high - large.low));
  });
});

describe('formatAuc', () => {
  it('writes the AUC with its interval, or alone, or a dash', () => {
    expect(formatAuc({ auc: 0.91234, aucCi: { low: 0.8904, high: 0.93449 } })).toBe('0.912 (0.890–0.934)');
    expect(formatAuc({ auc: 0.5 })).toBe('0.500');
    expect(formatAuc({ auc: null, aucCi: null })).toBe('—');
    expect(formatAuc(null)).toBe('—');
  });
});
