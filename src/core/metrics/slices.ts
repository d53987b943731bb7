import { aucInterval } from './interval';

/*
 * Where the model is weak: its AUC on each value of a column the person picks (a department, an age band, a
 * group), with DeLong's 95 % interval, on the held-out rows. A slice whose whole interval lies below the overall AUC
 * is named: it is reliably weaker, not just small. Pure.
 */

export interface SliceMetrics {
  value: string;
  n: number;
  positives: number;
  /** null when the slice lacks a positive or a negative row. */
  auc: number | null;
  low: number | null;
  high: number | null;
  /** Its interval lies wholly below the overall AUC. */
  below: boolean;
}

export interface SliceReport {
  column: string;
  split: 'test' | 'validation';
  overall: number | null;
  /** Numbers cut into bands of about equal rows ("18–34"), rather than one slice per value. */
  binned: boolean;
  /** Largest first. */
  slices: SliceMetrics[];
}

/** Bands a numeric column is cut into. */
export const SLICE_BANDS = 5;
/** A column of numbers with more distinct values than this is cut into bands. */
const MAX_NUMERIC_VALUES = 12;

/**
 * Each row's slice: its value (empty: "(empty)"), or, for a column of numbers with many values, its band of about
 * equal rows by quantile ("18–34"); whether the values were banded.
 */
export function sliceValues(raw: readonly string[]): { values: string[]; binned: boolean } {
  const trimmed = raw.map((v) => v.trim());
  const numbers = trimmed.map((v) => (v === '' ? NaN : Number(v)));
  const numeric = numbers.filter(Number.isFinite);
  if (numeric.length < 0.9 * raw.length || new Set(numeric).size <= MAX_NUMERIC_VALUES)
    return { values: trimmed.map((v) => (v === '' ? '(empty)' : v)), binned: false };
  const sorted = [...numeric].sort((a, b) => a - b);
  // Band k holds the values from its cut up to the next: about one SLICE_BANDS-th of the rows each (ties stay together).
  const cuts = [
    ...new Set(
      Array.from(
        { length: SLICE_BANDS - 1 },
        (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / SLICE_BANDS)]!,
      ),
    ),
  ];
  const band = (x: number) => cuts.filter((c) => x >= c).length;
  const range = new Map<number, [number, number]>();
  for (const x of numeric) {
    const [lo, hi] = range.get(band(x)) ?? [x, x];
    range.set(band(x), [Math.min(lo, x), Math.max(hi, x)]);
  }
  const name = (k: number) => {
    const [lo, hi] = range.get(k)!;
    return lo === hi ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
  };
  return {
    values: numbers.map((x) => (Number.isFinite(x) ? name(band(x)) : '(not a number)')),
    binned: true,
  };
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(3));

/** The AUC of each slice of the held-out rows, with its interval, largest slice first. */
export function sliceReport(
  column: string,
  split: 'test' | 'validation',
  rows: readonly { rating: number; slice: string }[],
  rankScores: readonly number[],
  threshold: number,
  overall: number | null,
): SliceReport {
  const { values, binned } = sliceValues(rows.map((r) => r.slice));
  const members = new Map<string, number[]>();
  values.forEach((v, i) => (members.get(v) ?? members.set(v, []).get(v)!).push(i));
  const slices = [...members].map(([value, idx]): SliceMetrics => {
    const positive = idx.map((i) => rows[i]!.rating >= threshold);
    const ci = aucInterval(
      positive,
      idx.map((i) => rankScores[i]!),
    );
    return {
      value,
      n: idx.length,
      positives: positive.filter(Boolean).length,
      auc: ci?.auc ?? null,
      low: ci?.low ?? null,
      high: ci?.high ?? null,
      below: ci !== null && overall !== null && ci.high < overall,
    };
  });
  slices.sort((a, b) => b.n - a.n || a.value.localeCompare(b.value));
  return { column, split, overall, binned, slices };
}

/** A slice's AUC as `formatAuc` takes it. */
export function sliceAuc(s: SliceMetrics): {
  auc: number | null;
  aucCi: { low: number; high: number } | null;
} {
  return { auc: s.auc, aucCi: s.low === null || s.high === null ? null : { low: s.low, high: s.high } };
}

/** "Jackets: AUC 0.710 (0.620–0.800) against 0.860 overall" for each slice reliably below the whole. */
export function weakSlices(report: SliceReport): string[] {
  return report.slices
    .filter((s) => s.below)
    .map(
      (s) =>
        `${report.column} = ${s.value}: ${report.split} AUC ${s.auc!.toFixed(3)} (${s.low!.toFixed(3)}–${s.high!.toFixed(3)}, ${s.n} rows) against ${report.overall!.toFixed(3)} overall`,
    );
}
