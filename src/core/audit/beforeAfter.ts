import { pairedAucDifference, type PairedAuc } from '../metrics/interval';
import type { ScoredExample } from '../metrics/analysis';

/** A run's held-out scores as its summary keeps them. */
export interface ScoredSplit {
  split: 'test' | 'validation';
  examples: readonly ScoredExample[];
}

/**
 * A run after label changes (a) against the run before (b) on the same held-out rows, by their given ratings, with
 * DeLong's paired 95 % interval: null unless both scored the same split's same lines (label changes leave the test
 * rows as they are, so runs of one split seed do) and both classes occur.
 */
export function beforeAndAfter(
  before: ScoredSplit,
  after: ScoredSplit,
  threshold: number,
): (PairedAuc & { split: ScoredSplit['split'] }) | null {
  if (before.split !== after.split || before.examples.length !== after.examples.length) return null;
  const old = new Map(before.examples.map((e) => [e.line, e]));
  const paired = after.examples.map((e) => [e, old.get(e.line)] as const);
  if (paired.some(([a, b]) => !b || b.rating !== a.rating)) return null;
  const result = pairedAucDifference(
    paired.map(([a]) => a.rating >= threshold),
    paired.map(([a]) => a.rankScore),
    paired.map(([, b]) => b!.rankScore),
  );
  return result && { ...result, split: after.split };
}

/** "Against the run before: test AUC 0.861 against 0.845 (difference +0.016, 95 % interval …, paired on the same 240 test rows)." */
export function describeBeforeAndAfter(c: PairedAuc & { split: ScoredSplit['split'] }): string {
  const f = (x: number) => x.toFixed(3).replace('-', '−');
  const sign = (x: number) => (x >= 0 ? `+${f(x)}` : f(x));
  const verdict = c.low > 0 ? 'better' : c.high < 0 ? 'worse' : 'not distinguishable from it';
  return `Against the run before: ${c.split} AUC ${f(c.a)} against ${f(c.b)} (difference ${sign(c.difference)}, 95 % interval ${sign(c.low)} to ${sign(c.high)}, paired on the same ${c.n} ${c.split} rows) — ${verdict}.`;
}
