import Papa from 'papaparse';
import { TabTuneError } from '../errors';
import { decodeCsvBytes } from './decode';

/** A data row with the 1-based line of the file it starts on (quoted fields may span lines). */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  columns: string[];
  rows: CsvRow[];
  /**
   * Records that cannot be read (wrong field count, a quote never closed): never dropped silently. Every
   * non-blank record after the header is in `rows` or here.
   */
  malformed: Array<{ line: number; reason: string }>;
  /** How the file was read where the user should know (its encoding, renamed duplicate columns). */
  warnings: string[];
}

/** A CSV file's bytes: decoded (decode.ts) and parsed. The studio's Worker and the CLI both read files here. */
export function readCsvBytes(bytes: Uint8Array, file: string): CsvTable {
  const decoded = decodeCsvBytes(bytes, file);
  const table = parseCsv(decoded.text, file);
  return { ...table, warnings: [...decoded.warnings, ...table.warnings] };
}

/**
 * Parses CSV text with a header row: delimiter taken from the header line, UTF-8 BOM dropped, quoted newlines kept (as \n). Only
 * truly empty lines are skipped; a row of empty fields is still a row. A bad quote would swallow the lines
 * after it (to the end of the file, or to the next quote): its line is listed as malformed and reading
 * resumes on the next line.
 */
export function parseCsv(text: string, file: string): CsvTable {
  // One kind of line break: a file with mixed CRLF/LF/CR (or CRLF inside quoted fields) reads the same.
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (body.trim() === '')
    throw new TabTuneError('data', `${file} is empty. Choose a CSV with a header row and data rows.`);
  const lines = new LineIndex(body);
  const records: RawRecord[] = [];
  const delimiter = headerDelimiter(body);
  let end = 0; // where the previous record ended; the next starts at the first character after it that is not a line break
  for (let offset = 0; offset < body.length;) {
    let resumeAt = body.length;
    Papa.parse<string[]>(body.slice(offset), {
      delimiter,
      skipEmptyLines: true,
      step: (result, parser) => {
        const line = lines.lineAt(lines.nextContent(end));
        const lastLine = lines.lineAt(Math.max(0, offset + result.meta.cursor - 1));
        const quoteError = result.errors.find((e) => e.type === 'Quotes');
        // A bad quote that spans lines would swallow the records after it: list its line, resume on the next.
        if (quoteError && (quoteError.code === 'MissingQuotes' || lastLine > line)) {
          records.push({
            line,
            fields: [],
            error:
              quoteError.code === 'MissingQuotes'
                ? 'a quoted field opened on this line is never closed (a missing ")'
                : 'a quoted field opened on this line is not closed properly (a stray " inside it?)',
          });
          resumeAt = lines.startOfLine(line + 1);
          end = resumeAt;
          parser.abort();
          return;
        }
        const other = result.errors.find((e) => e.type !== 'Delimiter');
        records.push({ line, fields: result.data, error: other ? other.message : null });
        end = offset + result.meta.cursor;
      },
    });
    offset = resumeAt;
  }
  return tableOf(records, file);
}

/**
 * The delimiter the header line uses most, outside quotes (",", ";", tab or "|"; "," when it has none).
 * The header alone decides: it names the columns, while sniffing data lines lets one ragged row win.
 */
function headerDelimiter(body: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of body.trimStart()) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t' || ch === '|'))
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
}

interface RawRecord {
  line: number;
  fields: string[];
  error: string | null;
}

function tableOf(records: RawRecord[], file: string): CsvTable {
  const [header, ...data] = records;
  if (!header || header.error !== null) {
    throw new TabTuneError(
      'data',
      `${file} has no readable header row${header ? ` (line ${header.line}: ${header.error})` : ''}. The first line must name the columns, e.g. "review,rating".`,
    );
  }
  const { columns, warnings } = uniqueColumns(header.fields, file);
  if (data.length === 0) {
    throw new TabTuneError(
      'data',
      `${file} has a header row (${columns.map((c) => JSON.stringify(c)).join(', ')}) but no data rows. Add rows below it.`,
    );
  }
  const rows: CsvRow[] = [];
  const malformed: CsvTable['malformed'] = [];
  for (const r of data) {
    if (r.error !== null) malformed.push({ line: r.line, reason: r.error });
    else if (r.fields.length !== columns.length)
      malformed.push({
        line: r.line,
        reason: `has ${r.fields.length} field(s) but the header has ${columns.length}`,
      });
    else
      rows.push({
        line: r.line,
        values: Object.fromEntries(columns.map((c, i) => [c, r.fields[i] as string])),
      });
  }
  return { columns, rows, malformed, warnings };
}

/** Header names, with later duplicates renamed "name_2", "name_3" — and a warning saying so. */
function uniqueColumns(names: string[], file: string): { columns: string[]; warnings: string[] } {
  const seen = new Set<string>();
  const warnings: string[] = [];
  const columns = names.map((name, i) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let k = 2;
    while (seen.has(`${name}_${k}`) || names.includes(`${name}_${k}`)) k++;
    const renamed = `${name}_${k}`;
    seen.add(renamed);
    warnings.push(
      `${file}: column ${i + 1} has the same name as an earlier one, ${JSON.stringify(name)}; it is called ${JSON.stringify(renamed)} here. Rename it in the file if that is not what you meant.`,
    );
    return renamed;
  });
  return { columns, warnings };
}

/** Line numbers of character positions (1-based), for messages that name a line. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  lineAt(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  startOfLine(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }

  /** The first position at or after `pos` that is not a line break (blank lines are skipped). */
  nextContent(pos: number): number {
    let p = pos;
    while (p < this.text.length && (this.text[p] === '\n' || this.text[p] === '\r')) p++;
    return p;
  }
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

/** CSV text for rows (objects) or fields + data: quoted where needed, "\n" after every line, the last included. */
export function writeCsv(input: object[] | { fields: string[]; data: string[][] }): string {
  return `${Papa.unparse(input, { newline: '\n' })}\n`;
}
