import { describe, expect, it } from 'vitest';
import { aucInterval } from './interval';
import { sliceReport, sliceValues, weakSlices } from './slices';

describe('sliceValues', () => {
  it('keeps categories as they are, an empty value named', () => {
    expect(sliceValues(['Dresses', ' Tops', '', 'Dresses'])).toEqual({
      values: ['Dresses', 'Tops', '(empty)', 'Dresses'],
      binned: false,
    });
    // A few distinct numbers (star ratings, sizes) are categories too.
    expect(sliceValues(['1', '2', '3', '2']).binned).toBe(false);
  });

  it('cuts numbers with many values into five bands of about equal rows, named by their range', () => {
    const ages = Array.from({ length: 100 }, (_, i) => String(18 + i));
    const { values, binned } = sliceValues([...ages, 'n/a']);
    expect(binned).toBe(true);
    const bands = [...new Set(values)];
    expect(bands).toEqual(['18–37', '38–57', '58–77', '78–97', '98–117', '(not a number)']);
    for (const b of bands.slice(0, 5)) expect(values.filter((v) => v === b)).toHaveLength(20);
  });
});

describe('sliceReport', () => {
  // Slice A is ranked perfectly, slice B at random-ish: B lies below the whole.
  const rows: { rating: number; slice: string }[] = [];
  const scores: number[] = [];
  for (let i = 0; i < 200; i++) {
    const positive = i % 2 === 0;
    rows.push({ rating: positive ? 5 : 1, slice: i < 120 ? 'A' : 'B' });
    scores.push(i < 120 ? (positive ? 1 : 0) + i * 1e-4 : ((i * 7919) % 13) / 13);
  }
  const overall = aucInterval(
    rows.map((r) => r.rating >= 4),
    scores,
  )!.auc;
  const report = sliceReport('department', 'test', rows, scores, 4, overall);

  it('gives each slice its AUC with DeLong’s interval, largest first, and names those reliably below', () => {
    expect(report.slices.map((s) => [s.value, s.n, s.positives])).toEqual([
      ['A', 120, 60],
      ['B', 80, 40],
    ]);
    const [a, b] = report.slices as [(typeof report.slices)[0], (typeof report.slices)[0]];
    expect(a.auc).toBe(1);
    expect(a.below).toBe(false);
    const ci = aucInterval(
      rows.slice(120).map((r) => r.rating >= 4),
      scores.slice(120),
    )!;
    expect(b).toMatchObject({ auc: ci.auc, low: ci.low, high: ci.high, below: true });
    expect(weakSlices(report)).toEqual([
      `department = B: test AUC ${ci.auc.toFixed(3)} (${ci.low.toFixed(3)}–${ci.high.toFixed(3)}, 80 rows) against ${overall.toFixed(3)} overall`,
    ]);
  });

  it('leaves the AUC of a one-class slice undefined, and names no slice without an overall AUC', () => {
    const one = sliceReport(
      'd',
      'validation',
      [
        { rating: 5, slice: 'x' },
        { rating: 4, slice: 'x' },
      ],
      [0.1, 0.2],
      4,
      null,
    );
    expect(one.slices[0]).toMatchObject({ auc: null, below: false });
    expect(weakSlices(one)).toEqual([]);
  });
});
