import { requireColumn, type CsvTable } from '../core/data/csv';
import { blobSource, type ByteSource } from '../core/data/csvStream';
import { labelColumnsOf, type ColumnRoles } from '../core/data/dataset';
import { guessRoles } from '../core/data/guess';
import type { RowLimit } from '../core/data/rowLimit';
import { indexCsv, readRows, type TableIndex } from '../core/data/tableIndex';
import { TabTuneError } from '../core/errors';
import type { TableSummary, Emit } from '../shared/protocol';

/**
 * The chosen CSV file: read once in chunks for its index (never whole: a `File` is backed by disk), and its rows
 * read again for a run or a profile when the columns or the row limit change. Reads run one at a time in the order
 * asked, so the page's last request is the last answered; each stops at its next chunk once its call's signal is
 * aborted (the page's "Stop reading", or a newer file chosen).
 */
export class TableReader {
  /** What the file's first read found, and the rows last read for a run (by columns and row limit). */
  private table: {
    index: TableIndex;
    source: ByteSource;
    rows: { key: string; csv: CsvTable } | null;
  } | null = null;
  private reads: Promise<unknown> = Promise.resolve();

  /** `assertIdle` refuses a new file while a run holds the rows. */
  constructor(private readonly assertIdle: () => void) {}

  /** Whether a file was read. */
  get loaded(): boolean {
    return this.table !== null;
  }

  /** The file's well-formed rows (0 before a file is read). */
  get count(): number {
    return this.table?.index.count ?? 0;
  }

  /** Reads `blob` for its index, in turn; progress streams as `reading` events. */
  read(file: string, blob: Blob, emit: Emit, signal: AbortSignal): Promise<TableSummary> {
    return this.inTurn(() => this.readTable(file, blob, emit, signal));
  }

  /** The rows a run (or a profile) uses, with the columns its roles name, in turn. */
  rows(roles: ColumnRoles, limit: RowLimit | null, seed: number, emit: Emit, signal: AbortSignal) {
    return this.inTurn(() => this.rowsFor(roles, limit, seed, emit, signal));
  }

  private inTurn<T>(read: () => Promise<T>): Promise<T> {
    const next = this.reads.then(read);
    this.reads = next.catch(() => undefined);
    return next;
  }

  private async readTable(file: string, blob: Blob, emit: Emit, signal: AbortSignal): Promise<TableSummary> {
    this.assertIdle();
    const source = blobSource(blob);
    const index = await indexCsv(source, file, reading(emit, signal));
    this.table = { index, source, rows: null };
    return {
      file,
      bytes: blob.size,
      columns: index.columns,
      rows: index.count,
      preview: index.head.slice(0, 8).map((r) => r.values),
      malformed: index.malformed,
      warnings: index.warnings,
      guess: guessRoles({ ...index, rows: index.head }),
    };
  }

  private async rowsFor(
    roles: ColumnRoles,
    limit: RowLimit | null,
    seed: number,
    emit: Emit,
    signal: AbortSignal,
  ) {
    if (!this.table) throw new TabTuneError('usage', 'Choose a CSV file first.');
    const t = this.table;
    const columns = [roles.text, ...labelColumnsOf(roles), roles.pair, roles.group, roles.slice].filter(
      (c): c is string => !!c,
    );
    for (const c of columns) requireColumn({ ...t.index, rows: [] }, c, t.index.file);
    const key = JSON.stringify({ columns, limit, seed: limit?.pick === 'random' ? seed : null });
    if (t.rows?.key !== key) {
      t.rows = null; // the old rows go before the new ones are read
      const csv = await readRows(t.index, t.source, columns, limit, seed, reading(emit, signal));
      t.rows = { key, csv };
    }
    return { table: t.rows.csv, file: t.index.file };
  }
}

/** Progress events, and the stop: a read whose signal was aborted stops at its next chunk (or before it starts). */
function reading(emit: Emit, signal: AbortSignal) {
  return {
    progress: (read: number, total: number) => emit({ type: 'reading', read, total }),
    signal,
  };
}
