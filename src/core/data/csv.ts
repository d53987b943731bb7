import Papa from 'papaparse';
import { TabTuneError } from '../errors';

/** A data row with the 1-based line of the file it starts on (quoted fields may span lines). */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  columns: string[];
  rows: CsvRow[];
  /** Rows whose field count differs from the header's, or that could not be parsed: never dropped silently. */
  malformed: Array<{ line: number; reason: string }>;
}

/**
 * Parses CSV text with a header row: delimiter sniffed, UTF-8 BOM dropped, quoted newlines kept.
 * Only truly empty lines are skipped; a row of empty fields is still a row.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const body = text.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  const malformed: CsvTable['malformed'] = [];
  let columns: string[] = [];
  // Line numbers: Papa's cursor is the end of each row (after its line break); a row starts at the first
  // character after the previous row's end that is not a line break (blank lines are skipped).
  const firstBreak = body.search(/\r\n|\n|\r/);
  let cursor = firstBreak < 0 ? body.length : firstBreak + (body.startsWith('\r\n', firstBreak) ? 2 : 1);
  let line = 2; // the line `cursor` is on; the header is line 1
  const advanceTo = (to: number) => {
    for (; cursor < to; cursor++) {
      const c = body.charCodeAt(cursor);
      if (c === 10 || (c === 13 && body.charCodeAt(cursor + 1) !== 10)) line++;
    }
  };
  Papa.parse<Record<string, string>>(body, {
    header: true,
    skipEmptyLines: true,
    step: (result) => {
      columns = result.meta.fields ?? columns;
      let start = cursor;
      while (start < body.length && (body[start] === '\n' || body[start] === '\r')) start++;
      advanceTo(start);
      const rowLine = line;
      advanceTo(result.meta.cursor);
      const fieldError = result.errors.find((e) => e.code === 'TooFewFields' || e.code === 'TooManyFields');
      const otherError = result.errors.find((e) => e.type !== 'Delimiter' && e !== fieldError);
      if (otherError) {
        malformed.push({ line: rowLine, reason: otherError.message });
      } else if (fieldError) {
        const n = countFields(result.data, columns);
        malformed.push({ line: rowLine, reason: `has ${n} field(s) but the header has ${columns.length}` });
      } else {
        rows.push({ line: rowLine, values: result.data });
      }
    },
  });
  if (columns.length === 0 || (columns.length === 1 && columns[0] === '')) {
    throw new TabTuneError(
      'data',
      `${file} has no header row. The first line must name the columns, e.g. "review,rating".`,
    );
  }
  return { columns, rows, malformed };
}

function countFields(data: Record<string, unknown>, columns: string[]): number {
  const extra = data.__parsed_extra;
  const present = columns.filter((c) => data[c] !== undefined).length;
  return present + (Array.isArray(extra) ? extra.length : 0);
}

export function requireColumn(table: CsvTable, column: string, file: string): void {
  if (!table.columns.includes(column)) {
    throw new TabTuneError(
      'data',
      `${file} has no column "${column}". Its columns are: ${table.columns.map((c) => JSON.stringify(c)).join(', ')}.`,
    );
  }
}

/** For commands that must use every row (embed, predict): malformed rows are an error listing their lines. */
export function requireWellFormed(table: CsvTable, file: string): void {
  if (table.malformed.length === 0) return;
  const list = table.malformed
    .slice(0, 5)
    .map((m) => `line ${m.line}: ${m.reason}`)
    .join('; ');
  throw new TabTuneError(
    'data',
    `${file} has ${table.malformed.length} malformed row(s): ${list}. Fix the quoting or field count and try again.`,
  );
}
