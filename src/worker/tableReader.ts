import { requireColumn, type CsvTable } from '../core/data/csv';
import { blobSource, type ByteSource } from '../core/data/csvStream';
import type { ColumnRoles } from '../core/data/dataset';
import { guessRoles } from '../core/data/guess';
import type { RowLimit } from '../core/data/rowLimit';
import { indexCsv, readRows, type TableIndex } from '../core/data/tableIndex';
import { TabTuneError } from '../core/errors';
import type { TableSummary, WorkerEvent } from '../shared/protocol';

type Emit = (e: WorkerEvent) => void;

/**
 * The chosen CSV file: read once in chunks for its index (never whole: a `File` is backed by disk), and its rows
 * read again for a run or a profile when the columns or the row limit change. Reads run one at a time in the order
 * asked, so the page's last request is the last answered; "Stop reading" stops every read asked for until then.
 */
export class TableReader {
  /** What the file's first read found, and the rows last read for a run (by columns and row limit). */
  private table: {
    index: TableIndex;
    source: ByteSource;
    rows: { key: string; csv: CsvTable } | null;
  } | null = null;
  private readsAsked = 0;
  private readsCancelled = 0;
  private reads: Promise<unknown> = Promise.resolve();

  /** `assertIdle` refuses a new file while a run holds the rows. */
  constructor(private readonly assertIdle: () => void) {}

  /** Whether a file was read. */
  get loaded(): boolean {
    return this.table !== null;
  }

  /** Stops every read asked for until now at its next chunk. */
  cancel(): null {
    this.readsCancelled = this.readsAsked;
    return null;
  }

  /** Reads `blob` for its index, in turn; progress streams as `reading` events. */
  read(file: string, blob: Blob, emit: Emit): Promise<TableSummary> {
    return this.inTurn((ticket) => this.readTable(file, blob, emit, ticket));
  }

  /** The rows a run (or a profile) uses, with the columns its roles name, in turn. */
  rows(roles: ColumnRoles, limit: RowLimit | null, seed: number, emit: Emit) {
    return this.inTurn((ticket) => this.rowsFor(roles, limit, seed, emit, ticket));
  }

  private inTurn<T>(read: (ticket: number) => Promise<T>): Promise<T> {
    const ticket = ++this.readsAsked; // numbered when asked, so "Stop reading" also stops the queued ones
    const next = this.reads.then(() => read(ticket));
    this.reads = next.catch(() => undefined);
    return next;
  }

  private async readTable(file: string, blob: Blob, emit: Emit, ticket: number): Promise<TableSummary> {
    this.assertIdle();
    const source = blobSource(blob);
    const index = await indexCsv(source, file, this.reading(emit, ticket));
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

  /** Progress events, and the stop: a read asked for before "Stop reading" was pressed stops at its next chunk. */
  private reading(emit: Emit, ticket: number) {
    return {
      progress: (read: number, total: number) => emit({ type: 'reading', read, total }),
      cancelled: () => ticket <= this.readsCancelled,
    };
  }

  private async rowsFor(
    roles: ColumnRoles,
    limit: RowLimit | null,
    seed: number,
    emit: Emit,
    ticket: number,
  ) {
    if (!this.table) throw new TabTuneError('usage', 'Choose a CSV file first.');
    const t = this.table;
    const columns = [roles.text, roles.label, roles.pair, roles.group].filter((c): c is string => !!c);
    for (const c of columns) requireColumn({ ...t.index, rows: [] }, c, t.index.file);
    const key = JSON.stringify({ columns, limit, seed: limit?.pick === 'random' ? seed : null });
    if (t.rows?.key !== key) {
      t.rows = null; // the old rows go before the new ones are read
      const csv = await readRows(t.index, t.source, columns, limit, seed, this.reading(emit, ticket));
      t.rows = { key, csv };
    }
    return { table: t.rows.csv, file: t.index.file };
  }
}
