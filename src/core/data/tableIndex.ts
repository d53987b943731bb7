import { TabTuneError } from '../errors';
import type { CsvRow, CsvTable } from './csv';
import { streamCsv, type ByteSource, type StreamOptions } from './csvStream';
import { rowSelection, type RowLimit } from './rowLimit';

/** Rows kept from the first read: enough to preview the file and guess its columns' roles. */
export const HEAD_ROWS = 500;

/**
 * What the studio keeps of a file after reading it once: its header, row count, every malformed record, its first
 * rows and how it was read — not its rows, so memory does not grow with the file. The rows a run uses are read
 * again from the file (`readRows`) once the columns and the row limit are known.
 */
export interface TableIndex {
  file: string;
  columns: string[];
  /** Well-formed data rows. */
  count: number;
  malformed: CsvTable['malformed'];
  warnings: string[];
  head: CsvRow[];
}

export async function indexCsv(
  source: ByteSource,
  file: string,
  options: StreamOptions = {},
): Promise<TableIndex> {
  let index: TableIndex;
  const read = await streamCsv(
    source,
    file,
    () => {
      const ix: TableIndex = { file, columns: [], count: 0, malformed: [], warnings: [], head: [] };
      index = ix;
      return {
        header: (columns, warnings) => {
          ix.columns = columns;
          ix.warnings.push(...warnings);
        },
        row: (row) => {
          if (ix.count++ < HEAD_ROWS) ix.head.push(row);
        },
        malformed: (m) => ix.malformed.push(m),
      };
    },
    options,
  );
  index!.warnings.unshift(...read.warnings);
  return index!;
}

/**
 * The rows a run uses — the row limit's selection, by index as `rowSelection` makes it — with only `columns`, read
 * again from the file; a file of no more than HEAD_ROWS rows is served from the head. The result is a selection
 * (`sampledFrom`) when the limit took fewer rows than the file has.
 */
export async function readRows(
  index: TableIndex,
  source: ByteSource,
  columns: readonly string[],
  limit: RowLimit | null,
  seed: number,
  options: StreamOptions = {},
): Promise<CsvTable> {
  const chosen = rowSelection(index.count, limit, seed);
  const keep = (i: number) => chosen === null || chosen[i] === 1;
  const project = (row: CsvRow): CsvRow => ({
    line: row.line,
    values: Object.fromEntries(columns.map((c) => [c, ownCopy(row.values[c] ?? '')])),
  });
  const table: CsvTable = {
    columns: index.columns,
    rows: [],
    malformed: index.malformed,
    warnings: index.warnings,
    ...(chosen === null ? {} : { sampledFrom: index.count }),
  };
  if (index.count <= HEAD_ROWS) {
    table.rows = index.head.filter((_, i) => keep(i)).map(project);
    return table;
  }
  let count = 0;
  await streamCsv(
    source,
    index.file,
    () => {
      table.rows = [];
      count = 0;
      return {
        header: (cols) => sameHeader(index, cols),
        row: (row) => {
          if (keep(count++)) table.rows.push(project(row));
        },
        malformed: () => undefined,
      };
    },
    options,
  );
  if (count !== index.count) throw changed(index.file);
  return table;
}

function sameHeader(index: TableIndex, columns: string[]): void {
  if (columns.join('\u0000') !== index.columns.join('\u0000')) throw changed(index.file);
}

function changed(file: string): TabTuneError {
  return new TabTuneError('data', `${file} changed since it was read. Choose it again.`);
}

/**
 * A value that holds only its own characters. The parser's values are slices of the chunk of text they came from,
 * and a kept slice keeps its whole chunk alive (V8 shares the characters of substrings of 13 or more): a sample of
 * rows would hold on to most of the file. Concatenating then slicing makes a flat copy of the value alone.
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : `${s}\u0000`.slice(0, -1);
}
