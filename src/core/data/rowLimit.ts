import type { CsvTable } from './csv';
import { seededRandom } from './split';

/** Train on part of a large file: its first `rows` rows, or a random sample of that many (seeded by the run's seed). */
export interface RowLimit {
  rows: number;
  pick: 'first' | 'random';
}

/**
 * Which of a file's `count` well-formed rows a run uses, by their index in file order: every row when there is no
 * limit or the file has no more rows than it. A random pick is a seeded sample without replacement (a partial
 * Fisher–Yates shuffle), so the same seed picks the same rows in the studio's streamed read and the CLI's whole one.
 */
export function rowSelection(count: number, limit: RowLimit | null, seed: number): Uint8Array | null {
  if (limit === null || count <= limit.rows) return null;
  const chosen = new Uint8Array(count);
  if (limit.pick === 'first') {
    chosen.fill(1, 0, limit.rows);
    return chosen;
  }
  const random = seededRandom((seed ^ 0x5a3c9e1) >>> 0);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = 0; i < limit.rows; i++) {
    const j = i + Math.floor(random() * (count - i));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
    chosen[order[i] as number] = 1;
  }
  return chosen;
}

/**
 * The rows of `table` a run uses (rowSelection), in file order; `sampledFrom` keeps the file's row count. A table
 * that is already a selection (the studio reads only the rows it uses) is returned as it is.
 */
export function limitRows(table: CsvTable, limit: RowLimit | null, seed: number): CsvTable {
  if (table.sampledFrom !== undefined) return table;
  const chosen = rowSelection(table.rows.length, limit, seed);
  if (chosen === null) return table;
  return { ...table, rows: table.rows.filter((_, i) => chosen[i] === 1), sampledFrom: table.rows.length };
}

/** "100,000 of 1,000,000 rows (a random sample)" — for the log and the data summary; null when every row is used. */
export function describeRowLimit(table: CsvTable, limit: RowLimit | null): string | null {
  if (table.sampledFrom === undefined || limit === null) return null;
  const n = (x: number) => x.toLocaleString('en-US');
  return `using ${n(table.rows.length)} of ${n(table.sampledFrom)} rows (${limit.pick === 'first' ? 'the first ones' : 'a random sample'})`;
}
