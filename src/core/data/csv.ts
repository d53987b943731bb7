import { TabTuneError } from '../errors';
import { decodeCsvBytes } from './decode';
import {
  countNewlines,
  headerLine,
  parsePiece,
  headerDelimiter,
  uniqueColumns,
  type RawRecord,
} from './csvScan';

const QUOTE = 34;
const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const enum ScanState {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
  AfterQuoteSpaces,
}

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
  /** Set when `rows` are a selection of the file's rows (a row limit): how many well-formed rows the file has. */
  sampledFrom?: number;
}

/** A CSV file's bytes: decoded (decode.ts) and parsed. The CLI reads files here; the studio streams them (csvStream.ts). */
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
  const table = tableCollector();
  const reader = new CsvReader(file, table.sink);
  reader.push(text);
  reader.end();
  return table.result();
}

/** Where a CsvReader sends what it reads: the header once, then each data row or malformed record in file order. */
export interface CsvSink {
  header(columns: string[], warnings: string[]): void;
  row(row: CsvRow): void;
  malformed(record: { line: number; reason: string }): void;
}

/** A sink that keeps everything: the whole table (parseCsv, readCsvBytes). */
export function tableCollector(): { sink: CsvSink; result(): CsvTable } {
  const t: CsvTable = { columns: [], rows: [], malformed: [], warnings: [] };
  return {
    sink: {
      header: (columns, warnings) => {
        t.columns = columns;
        t.warnings.push(...warnings);
      },
      row: (r) => t.rows.push(r),
      malformed: (m) => t.malformed.push(m),
    },
    result: () => t,
  };
}

/** Pending text is parsed once a record boundary lies this far in (the default; tests cut at every record). */
const PIECE_CHARS = 1 << 20;
/** A quoted field still open after this many characters is taken for a bad quote: the text is cut at its last line break. */
const MAX_OPEN_CHARS = 8 << 20;

/**
 * Reads CSV text pushed in pieces of any size (a file streamed in chunks) with the same result as reading it whole:
 * it parses up to the last record boundary it has seen — a line break outside quotes — and keeps the rest for the
 * next piece. Memory stays bounded by the piece size, not the file's. The header row decides the delimiter.
 */
export class CsvReader {
  private pending = '';
  /** Lines of the file before `pending`. */
  private lineBase = 0;
  private delimiter: string | null = null;
  private columns: number | null = null;
  private dataRecords = 0;
  private started = false;
  private carryCr = false;
  private sawContent = false;
  // The boundary scanner: how far `pending` is scanned, the CSV state there, and the last boundary (just after a \n).
  private scanned = 0;
  private state: ScanState = ScanState.FieldStart;
  private lastCut = 0;

  constructor(
    private readonly file: string,
    private readonly sink: CsvSink,
    private readonly pieceChars = PIECE_CHARS,
  ) {}

  push(text: string): void {
    let t = this.carryCr ? `\r${text}` : text;
    if (!this.started && t.length > 0) {
      t = t.replace(/^\uFEFF/, '');
      this.started = true;
    }
    this.carryCr = t.endsWith('\r');
    if (this.carryCr) t = t.slice(0, -1);
    // Line breaks are made one kind ("\n") by the scanner, outside quoted fields only: a CRLF inside a quoted cell
    // stays as it was written (predict writes every cell back byte for byte).
    if (!this.sawContent && t.trim() !== '') this.sawContent = true;
    this.pending += t;
    if (this.delimiter === null) {
      // A header whose quotes never close ends at its first line break once the text is long enough to tell.
      const header =
        headerLine(this.pending) ??
        (this.pending.length > MAX_OPEN_CHARS ? this.pending.slice(0, this.pending.search(/[\r\n]/)) : null);
      if (header === null) return;
      this.delimiter = headerDelimiter(header);
    }
    this.scan();
    if (this.lastCut >= this.pieceChars) this.flush(this.lastCut);
    else if (this.lastCut === 0 && this.pending.length > MAX_OPEN_CHARS) {
      const cut = Math.max(this.pending.lastIndexOf('\n'), this.pending.lastIndexOf('\r')) + 1;
      if (cut > 0) {
        this.flush(cut);
        this.state = ScanState.FieldStart;
        this.scanned = 0;
        this.scan();
      }
    }
  }

  end(): void {
    if (this.carryCr) {
      this.carryCr = false;
      this.pending += '\n';
    }
    if (!this.sawContent)
      throw new TabTuneError('data', `${this.file} is empty. Choose a CSV with a header row and data rows.`);
    this.delimiter ??= headerDelimiter(this.pending);
    this.flush(this.pending.length);
    if (this.columns === null) this.header(undefined);
    if (this.dataRecords === 0) {
      throw new TabTuneError(
        'data',
        `${this.file} has a header row (${this.headerNames.map((c) => JSON.stringify(c)).join(', ')}) but no data rows. Add rows below it.`,
      );
    }
  }

  private headerNames: string[] = [];

  /**
   * Moves the scanner to the end of `pending`, noting the last line break outside quotes, and makes each line break
   * outside quotes one "\n" (CRLF and a lone CR alike); inside a quoted field a line break stays as written.
   */
  private scan(): void {
    const d = (this.delimiter as string).charCodeAt(0);
    const s = this.pending;
    const pieces: string[] = [];
    let copyFrom = 0;
    let removed = 0; // CRs dropped before `i`: a position in the new text is i - removed
    let state = this.state;
    for (let i = this.scanned; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c === CR && state !== ScanState.Quoted) {
        pieces.push(s.slice(copyFrom, i));
        copyFrom = i + 1;
        if (s.charCodeAt(i + 1) === NEWLINE) {
          removed++; // CRLF: the LF that follows is the break
          continue;
        }
        pieces.push('\n'); // a lone CR
        c = NEWLINE;
      }
      const at = i - removed;
      if (state === ScanState.Quoted) {
        if (c === QUOTE) state = ScanState.QuoteInQuoted;
      } else if (state === ScanState.QuoteInQuoted || state === ScanState.AfterQuoteSpaces) {
        // A quote closes the field only before a delimiter or a line break (spaces between allowed, as Papa Parse
        // reads it); "" is an escaped quote; any other quote goes on inside the field.
        if (c === d) state = ScanState.FieldStart;
        else if (c === NEWLINE) {
          state = ScanState.FieldStart;
          this.lastCut = at + 1;
        } else if (c === SPACE) state = ScanState.AfterQuoteSpaces;
        else if (c === QUOTE && state === ScanState.AfterQuoteSpaces) state = ScanState.QuoteInQuoted;
        else state = ScanState.Quoted;
      } else if (c === NEWLINE) {
        state = ScanState.FieldStart;
        this.lastCut = at + 1;
      } else if (c === d) state = ScanState.FieldStart;
      else if (state === ScanState.FieldStart) state = c === QUOTE ? ScanState.Quoted : ScanState.Unquoted;
    }
    if (pieces.length > 0) this.pending = pieces.join('') + s.slice(copyFrom);
    this.state = state;
    this.scanned = this.pending.length;
  }

  /** Parses `pending` up to `cut` (a record boundary, or the end) and keeps the rest. */
  private flush(cut: number): void {
    if (cut === 0) return;
    const piece = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    this.scanned -= cut;
    this.lastCut = 0;
    for (const r of parsePiece(piece, this.delimiter as string, this.lineBase)) this.record(r);
    this.lineBase += countNewlines(piece);
  }

  private record(r: RawRecord): void {
    if (this.columns === null) {
      this.header(r);
      return;
    }
    this.dataRecords++;
    if (r.error !== null) this.sink.malformed({ line: r.line, reason: r.error });
    else if (r.fields.length !== this.columns)
      this.sink.malformed({
        line: r.line,
        reason: `has ${r.fields.length} field(s) but the header has ${this.columns}`,
      });
    else {
      const values: Record<string, string> = {};
      for (let i = 0; i < this.columns; i++) values[this.headerNames[i] as string] = r.fields[i] as string;
      this.sink.row({ line: r.line, values });
    }
  }

  private header(r: RawRecord | undefined): void {
    if (!r || r.error !== null) {
      throw new TabTuneError(
        'data',
        `${this.file} has no readable header row${r ? ` (line ${r.line}: ${r.error})` : ''}. The first line must name the columns, e.g. "review,rating".`,
      );
    }
    const { columns, warnings } = uniqueColumns(r.fields, this.file);
    this.headerNames = columns;
    this.columns = columns.length;
    this.sink.header(columns, warnings);
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
