import type { BadRow } from '../../core/data/dataset';

/** Warnings the user should read (how a file was read, what a run chose), as a labelled list. */
export function Warnings({ label, items }: { label: string; items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <ul aria-label={label} className="warnings">
      {items.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}

/** Rows that could not be used, each with its line and reason, folded under a summary (the first `limit`). */
export function RowList({
  rows,
  summary,
  label,
  limit = 200,
}: {
  rows: readonly BadRow[];
  summary: string;
  label: string;
  limit?: number;
}) {
  if (rows.length === 0) return null;
  return (
    <details>
      <summary>{summary}</summary>
      <ul aria-label={label}>
        {rows.slice(0, limit).map((b) => (
          <li key={b.line}>
            line {b.line}: {b.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
