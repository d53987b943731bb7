import Papa from 'papaparse';
import { TabTuneError } from '../errors';

export interface CsvTable {
  columns: string[];
  rows: Array<Record<string, string>>;
}

/**
 * Parses CSV text with a header row (delimiter sniffed, UTF-8 BOM dropped, quoted newlines kept).
 * Malformed rows are an error naming their line: nothing is dropped silently.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const result = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    // Only truly empty lines are skipped; a row of empty fields is still a row (never dropped silently).
    skipEmptyLines: true,
  });
  const columns = result.meta.fields ?? [];
  if (columns.length === 0 || (columns.length === 1 && columns[0] === '')) {
    throw new TabTuneError(
      'data',
      `${file} has no header row. The first line must name the columns, e.g. "review,rating".`,
    );
  }
  const problems = result.errors.filter((e) => e.type !== 'Delimiter' || result.data.length === 0);
  if (problems.length > 0) {
    const list = problems
      .slice(0, 5)
      .map((e) => `data row ${(e.row ?? 0) + 1}: ${e.message}`)
      .join('; ');
    throw new TabTuneError(
      'data',
      `${file} has ${problems.length} malformed row(s): ${list}. Fix the quoting or field count and try again.`,
    );
  }
  return { columns, rows: result.data };
}

export function requireColumn(table: CsvTable, column: string, file: string): void {
  if (!table.columns.includes(column)) {
    throw new TabTuneError(
      'data',
      `${file} has no column "${column}". Its columns are: ${table.columns.map((c) => JSON.stringify(c)).join(', ')}.`,
    );
  }
}
