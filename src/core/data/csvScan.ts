import Papa from 'papaparse';

/*
 * The CSV scanner under `CsvReader` (csv.ts): a piece of text into records (RFC 4180 quoting, the delimiter
 * guessed from the header), line numbers, header names.
 */
const NEWLINE = 10;
const CR = 13;

/** Line breaks in `s`: "\n", and a CR not followed by one (a lone CR left inside a quoted field). */
export function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === NEWLINE || (c === CR && s.charCodeAt(i + 1) !== NEWLINE)) n++;
  }
  return n;
}

/** The header line (up to its first line break outside quotes), or null while it is not complete. */
export function headerLine(body: string): string | null {
  let quoted = false;
  const start = body.length - body.trimStart().length;
  for (let i = start; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) return body.slice(0, i);
  }
  return null;
}

/**
 * The records of one piece of normalized text that starts at a line start (line `lineBase` + 1). A bad quote
 * that spans lines would swallow the records after it: its line is listed, and reading resumes on the next.
 */
export function parsePiece(body: string, delimiter: string, lineBase: number): RawRecord[] {
  const lines = new LineIndex(body);
  const records: RawRecord[] = [];
  let end = 0; // where the previous record ended; the next starts at the first character after it that is not a line break
  for (let offset = 0; offset < body.length;) {
    let resumeAt = body.length;
    Papa.parse<string[]>(body.slice(offset), {
      delimiter,
      newline: '\n', // breaks outside quotes are "\n" by now; one inside a quoted field is the field's own
      step: (result, parser) => {
        // Only truly empty lines are skipped (a quoted empty field is a field), and `end` moves past them.
        const cursor = offset + result.meta.cursor;
        if (result.data.length === 1 && result.data[0] === '' && body.slice(end, cursor).trim() === '') {
          end = cursor;
          return;
        }
        const line = lines.lineAt(lines.nextContent(end));
        const lastLine = lines.lineAt(Math.max(0, offset + result.meta.cursor - 1));
        const quoteError = result.errors.find((e) => e.type === 'Quotes');
        if (quoteError && (quoteError.code === 'MissingQuotes' || lastLine > line)) {
          records.push({
            line: lineBase + line,
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
        records.push({ line: lineBase + line, fields: result.data, error: other ? other.message : null });
        end = offset + result.meta.cursor;
      },
    });
    offset = resumeAt;
  }
  return records;
}

/**
 * The delimiter the header line uses most, outside quotes (",", ";", tab or "|"; "," when it has none).
 * The header alone decides: it names the columns, while sniffing data lines lets one ragged row win.
 */
export function headerDelimiter(body: string): string {
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

export interface RawRecord {
  line: number;
  fields: string[];
  error: string | null;
}

/** Header names, with later duplicates renamed "name_2", "name_3" — and a warning saying so. */
export function uniqueColumns(names: string[], file: string): { columns: string[]; warnings: string[] } {
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
export class LineIndex {
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
