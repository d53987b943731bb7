/** "1h02m", "3m05s", "42s" — for ETA displays. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Exponential moving average of a loss curve, as plotted beside the raw points (bias-corrected). */
export function smooth(values: readonly number[], weight = 0.9): number[] {
  const out: number[] = [];
  let avg = 0;
  values.forEach((v, i) => {
    avg = weight * avg + (1 - weight) * v;
    out.push(avg / (1 - weight ** (i + 1)));
  });
  return out;
}
