import { histogram, percentile } from '../metrics/analysis';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import type { Dataset } from './dataset';

export interface DatasetProfile {
  usable: number;
  badRows: Dataset['badRows'];
  /** What `ratings` counts: ratings, or (multi-label) the rows that have each label. */
  kind?: 'ratings' | 'labels';
  /**
   * Count per distinct rating (sorted), or per bin when ratings are continuous; multi-label: the rows of each label
   * (most first) and of none.
   */
  ratings: Array<{ rating: string; count: number }>;
  /** Token counts ([CLS] and [SEP] included) with the given tokenizer; words when there is none yet. */
  lengths: {
    unit: 'tokens' | 'words';
    bins: Array<{ upTo: number; count: number }>;
    p50: number;
    p90: number;
    p95: number;
    p99: number;
    max: number;
  };
}

const SAMPLE = 5000;

/** What the Data step shows: usable rows, unusable rows, the rating distribution and text lengths. */
export function profileDataset(ds: Dataset, tokenizer: BertTokenizer | null): DatasetProfile {
  const multi = ds.examples.some((e) => e.tags !== undefined);
  const counts = new Map<number, number>();
  for (const e of ds.examples) counts.set(e.rating, (counts.get(e.rating) ?? 0) + 1);
  let ratings: DatasetProfile['ratings'];
  if (multi) ratings = labelCounts(ds);
  else if (counts.size <= 20) {
    ratings = [...counts].sort((a, b) => a[0] - b[0]).map(([r, c]) => ({ rating: String(r), count: c }));
  } else {
    const values = ds.examples.map((e) => e.rating);
    const min = Math.min(...values);
    const width = (Math.max(...values) - min) / 10 || 1;
    ratings = histogram(values, min, width, 10).map((c, i) => ({
      rating: `${(min + i * width).toFixed(1)}–${(min + (i + 1) * width).toFixed(1)}`,
      count: c,
    }));
  }
  const sample = ds.examples.slice(0, SAMPLE);
  const lengths = sample.map((e) =>
    tokenizer
      ? tokenizer.encode(e.text, e.pair).inputIds.length
      : `${e.text} ${e.pair ?? ''}`.split(/\s+/).filter(Boolean).length,
  );
  const max = lengths.length ? Math.max(...lengths) : 0;
  const width = Math.max(1, Math.ceil((max + 1) / 16));
  return {
    kind: multi ? 'labels' : 'ratings',
    usable: ds.examples.length,
    badRows: ds.badRows,
    ratings,
    lengths: {
      unit: tokenizer ? 'tokens' : 'words',
      bins: histogram(lengths, 0, width, 16).map((count, i) => ({ upTo: (i + 1) * width, count })),
      p50: percentile(lengths, 50),
      p90: percentile(lengths, 90),
      p95: percentile(lengths, 95),
      p99: percentile(lengths, 99),
      max,
    },
  };
}

/** Multi-label: the rows of each label, most first, then those with no label. */
function labelCounts(ds: Dataset): DatasetProfile['ratings'] {
  const counts = new Map<string, number>();
  let none = 0;
  for (const e of ds.examples) {
    if ((e.tags ?? []).length === 0) none++;
    for (const t of e.tags ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([rating, count]) => ({ rating, count }));
  return none > 0 ? [...rows, { rating: '(no label)', count: none }] : rows;
}
