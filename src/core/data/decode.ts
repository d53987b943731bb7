import { TabTuneError } from '../errors';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  /** Set when the encoding was not UTF-8: the user should know how their bytes were read. */
  warnings: string[];
}

export type TextEncodingName = DecodedText['encoding'];

/**
 * A CSV file's bytes as text. UTF-8 (BOM or not) and UTF-16 (BOM, or the zero bytes of mostly-ASCII text)
 * are read exactly; bytes that are not valid UTF-8 are read as Windows-1252 (what spreadsheets on Windows
 * save), with a warning. Compressed, archived, JSON and other binary files get an error that says what
 * the file is and what to do, instead of a list of garbled column names.
 */
export function decodeCsvBytes(bytes: Uint8Array, file: string): DecodedText {
  let decoder = new ChunkDecoder(file, sniffEncoding(bytes, file));
  let text: string;
  try {
    text = decoder.decode(bytes, true);
  } catch (e) {
    if (!(e instanceof NotUtf8)) throw e;
    decoder = new ChunkDecoder(file, 'windows-1252', e.line);
    text = decoder.decode(bytes, true);
  }
  return { text, encoding: decoder.encoding, warnings: decoder.warnings };
}

/**
 * What a file's first bytes tell (read from its head, up to 4 KiB): compressed, archived, binary and JSON files
 * are refused with what they are; otherwise its encoding, UTF-16 (BOM or zero bytes) or UTF-8 to try first.
 */
export function sniffEncoding(head: Uint8Array, file: string): 'utf-8' | 'utf-16le' | 'utf-16be' {
  refuseNonText(head, file);
  const utf16 = utf16Order(head);
  if (utf16) return utf16;
  if (looksBinary(zerosIn(head), head.length)) throw binaryError(file, head.indexOf(0));
  refuseJson(new TextDecoder('utf-8').decode(head.subarray(0, 800)), file);
  return 'utf-8';
}

/** Thrown when bytes are not valid UTF-8: reading starts again as Windows-1252, with this line in the warning. */
export class NotUtf8 extends Error {
  constructor(readonly line: number) {
    super('not UTF-8');
  }
}

/**
 * Binary data, not text with a stray zero byte: zero bytes are 2 % or more of the bytes (and at least 4). Text
 * re-saved by a spreadsheet can keep a NUL or two; a binary file is full of them.
 */
export function looksBinary(zeros: number, bytes: number): boolean {
  return zeros >= Math.max(4, bytes / 50);
}

const zerosIn = (b: Uint8Array) => b.reduce((n, x) => n + (x === 0 ? 1 : 0), 0);

/**
 * Decodes a file's bytes in chunks of any size (a chunk may end inside a character). UTF-8 is strict: its
 * first invalid byte throws NotUtf8, so the caller reads again as Windows-1252 (`invalidLine` given then, for
 * the warning). Zero bytes in 8-bit text: a chunk that `looksBinary` means a binary file; a few are kept in the
 * text (the tokenizer drops them, as BERT's does; a cell keeps its bytes) and named by line in a warning.
 */
export class ChunkDecoder {
  private readonly notes: string[] = [];
  /** The lines that hold a zero byte (the first 10), and how many zero bytes there were. */
  private readonly nul = { lines: [] as number[], count: 0 };
  /** UTF-8 and UTF-16 only: Windows-1252 is decoded line by line (`decodeLines`). */
  private readonly decoder: TextDecoder | null;
  private offset = 0;
  private newlines = 0;
  private tail: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly file: string,
    readonly encoding: TextEncodingName,
    invalidLine?: number,
  ) {
    // UTF-16 drops its BOM. Windows-1252 is decoded by its table: Node's TextDecoder reads it as Latin-1
    // when not streaming (0x80 as U+0080, not €), browsers by the table.
    this.decoder =
      encoding === 'windows-1252' ? null : new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
    if (encoding === 'utf-16le' || encoding === 'utf-16be') {
      this.notes.push(
        `${file} is UTF-16 (${encoding === 'utf-16le' ? 'little' : 'big'}-endian) text; it was read as such.`,
      );
    }
    this.firstInvalid = invalidLine ?? 1;
  }

  private readonly firstInvalid: number;
  /** Windows-1252 mode: the lines that were not UTF-8 (the first 10), their count, and a line not yet whole. */
  private readonly latin = { lines: [] as number[], count: 0, pending: new Uint8Array(0) };
  private readonly strict = new TextDecoder('utf-8', { fatal: true });
  /** Windows-1252 mode: whole lines decoded so far. */
  private linesDone = 0;

  /** How the bytes were read, where the user should know: the encoding, and zero bytes kept, by line. */
  get warnings(): string[] {
    const { lines, count } = this.nul;
    const out = [...this.notes];
    if (this.encoding === 'windows-1252') {
      const l = this.latin;
      out.push(
        `${this.file} is not valid UTF-8 (first at line ${this.firstInvalid}); it was read as Windows-1252 (Latin-1), the usual encoding of spreadsheets saved on Windows, on the ${l.count} line(s) that are not UTF-8 (${l.lines.join(', ')}${l.count > l.lines.length ? ', …' : ''}), and as UTF-8 on the others. If accents or symbols look wrong, save the file as "CSV (UTF-8)".`,
      );
    }
    if (count === 0) return out;
    return [
      ...out,
      `${this.file} holds ${count} zero (NUL) byte(s), on line(s) ${lines.join(', ')}${count > lines.length ? ', …' : ''} — spreadsheets keep them when re-saving. They are ignored in the text (BERT's tokenizer drops them) and kept in the cells; a cell with nothing else is listed as unusable.`,
    ];
  }

  decode(chunk: Uint8Array, last: boolean): string {
    if (this.encoding === 'utf-8' || this.encoding === 'windows-1252') this.noteZeros(chunk);
    let text: string;
    try {
      text = this.decoder ? this.decoder.decode(chunk, { stream: !last }) : this.decodeLines(chunk, last);
    } catch {
      // The bad sequence may have begun in the last bytes of the chunk before.
      const seen = new Uint8Array(this.tail.length + chunk.length);
      seen.set(this.tail);
      seen.set(chunk, this.tail.length);
      const before = this.newlines - countByte(this.tail, 10, this.tail.length);
      throw new NotUtf8(before + countByte(seen, 10, firstInvalidUtf8(seen)) + 1);
    }
    this.offset += chunk.length;
    this.newlines += countByte(chunk, 10, chunk.length);
    // A cut character is at most 3 bytes: the chunk's last 3, or, for a shorter chunk, the tail before it too.
    this.tail = unfinishedSequence(
      chunk.length >= 3 ? chunk.subarray(chunk.length - 3) : concat(this.tail, chunk),
    );
    return text;
  }

  /**
   * Windows-1252 mode, line by line: a line that is valid UTF-8 is read as UTF-8, any other as Windows-1252 and
   * noted — a UTF-8 file with one line saved in Latin-1 keeps its other lines intact. (A Windows-1252 byte run that
   * is also valid UTF-8 needs a lead byte À–ß followed by bytes €–¿: not in text.)
   */
  private decodeLines(chunk: Uint8Array, last: boolean): string {
    const l = this.latin;
    const bytes = new Uint8Array(l.pending.length + chunk.length);
    bytes.set(l.pending);
    bytes.set(chunk, l.pending.length);
    const end = last ? bytes.length : bytes.lastIndexOf(10) + 1;
    l.pending = bytes.slice(end);
    let text = '';
    let start = 0;
    let lineNo = this.linesDone + 1;
    while (start < end) {
      const nl = bytes.indexOf(10, start);
      const stop = nl < 0 || nl >= end ? end : nl + 1;
      const part = bytes.subarray(start, stop);
      try {
        text += this.strict.decode(part);
      } catch {
        text += decodeWindows1252(part);
        l.count++;
        if (l.lines.length < 10) l.lines.push(lineNo);
      }
      lineNo++;
      start = stop;
    }
    this.linesDone = lineNo - 1;
    return text;
  }

  /** Refuses binary data (`looksBinary` on the bytes so far); otherwise counts the zero bytes and notes their lines. */
  private noteZeros(chunk: Uint8Array): void {
    let zero = chunk.indexOf(0);
    if (zero < 0) return;
    // Judged on the bytes so far, so a short last chunk with a NUL or two is not called binary.
    if (looksBinary(this.nul.count + zerosIn(chunk), this.offset + chunk.length))
      throw binaryError(this.file, this.offset + zero);
    while (zero >= 0) {
      this.nul.count++;
      const line = this.newlines + countByte(chunk, 10, zero) + 1;
      if (this.nul.lines.length < 10 && this.nul.lines.at(-1) !== line) this.nul.lines.push(line);
      zero = chunk.indexOf(0, zero + 1);
    }
  }
}

function binaryError(file: string, zero: number): TabTuneError {
  return new TabTuneError(
    'data',
    `${file} holds binary data (a zero byte at byte ${zero}), so it is not a text CSV. Open it in the program that made it and save it as "CSV (UTF-8)".`,
  );
}

function refuseNonText(b: Uint8Array, file: string): void {
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  const what = starts(0x1f, 0x8b)
    ? 'a gzip-compressed file; unpack it (gunzip, or double-click it) and choose the .csv inside'
    : starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)
      ? 'a zip archive (an Excel .xlsx workbook is one too); unpack it and choose the .csv inside, or save the sheet as "CSV (UTF-8)"'
      : starts(0x25, 0x50, 0x44, 0x46)
        ? 'a PDF document, not a table; export the table as CSV'
        : starts(0xd0, 0xcf, 0x11, 0xe0)
          ? 'an old Excel (.xls) workbook; save the sheet as "CSV (UTF-8)"'
          : null;
  if (what) throw new TabTuneError('data', `${file} is ${what}.`);
}

/** UTF-16 by its BOM, or by zero bytes at every other position of the first bytes (ASCII-heavy text). */
function utf16Order(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const half = n / 2;
  if (oddZeros > 0.6 * half && evenZeros < 0.1 * half) return 'utf-16le';
  if (evenZeros > 0.6 * half && oddZeros < 0.1 * half) return 'utf-16be';
  return null;
}

function refuseJson(text: string, file: string): void {
  const head = text
    .slice(0, 200)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!/^(\{\s*"|\[\s*[{["\d-]|\[\s*\])/.test(head)) return;
  throw new TabTuneError(
    'data',
    `${file} is JSON, not CSV. Convert it to a CSV with a header row (e.g. "review,rating"), or export CSV from where it came from.`,
  );
}

function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i] as number;
    const len =
      c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += len;
  }
  return b.length;
}

function countByte(b: Uint8Array, value: number, before: number): number {
  let n = 0;
  for (let i = b.indexOf(value); i >= 0 && i < before; i = b.indexOf(value, i + 1)) n++;
  return n;
}

/** Windows-1252's characters for bytes 0x80–0x9F (the rest are Latin-1); its five undefined bytes as C1 controls. */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(b: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < b.length; start += 8192) {
    const codes = Array.from(b.subarray(start, start + 8192), (c) =>
      c >= 0x80 && c < 0xa0 ? CP1252_HIGH.charCodeAt(c - 0x80) : c,
    );
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/**
 * The bytes at the end that begin a UTF-8 sequence not finished yet (what a streaming decoder holds back): where a
 * bad sequence found in the next chunk may have begun. Only those: a byte before them belongs to a whole character.
 */
export function unfinishedSequence(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? bytes.slice(bytes.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
