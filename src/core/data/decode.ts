import { TabTuneError } from '../errors';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  /** Set when the encoding was not UTF-8: the user should know how their bytes were read. */
  warnings: string[];
}

/**
 * A CSV file's bytes as text. UTF-8 (BOM or not) and UTF-16 (BOM, or the zero bytes of mostly-ASCII text)
 * are read exactly; bytes that are not valid UTF-8 are read as Windows-1252 (what spreadsheets on Windows
 * save), with a warning. Compressed, archived, JSON and other binary files get an error that says what
 * the file is and what to do, instead of a list of garbled column names.
 */
export function decodeCsvBytes(bytes: Uint8Array, file: string): DecodedText {
  refuseNonText(bytes, file);
  const utf16 = utf16Order(bytes);
  if (utf16) {
    const text = new TextDecoder(utf16).decode(bytes); // drops the BOM
    return {
      text,
      encoding: utf16,
      warnings: [
        `${file} is UTF-16 (${utf16 === 'utf-16le' ? 'little' : 'big'}-endian) text; it was read as such.`,
      ],
    };
  }
  const zero = bytes.indexOf(0);
  if (zero >= 0) {
    throw new TabTuneError(
      'data',
      `${file} holds binary data (a zero byte at byte ${zero}), so it is not a text CSV. Open it in the program that made it and save it as "CSV (UTF-8)".`,
    );
  }
  let text: string;
  let encoding: DecodedText['encoding'] = 'utf-8';
  const warnings: string[] = [];
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
    encoding = 'windows-1252';
    const at = firstInvalidUtf8(bytes);
    const line = lineOfByte(bytes, at);
    warnings.push(
      `${file} is not valid UTF-8 (first at line ${line}); it was read as Windows-1252 (Latin-1), the usual encoding of spreadsheets saved on Windows. If accents or symbols look wrong, save the file as "CSV (UTF-8)".`,
    );
  }
  refuseJson(text, file);
  return { text, encoding, warnings };
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

function lineOfByte(b: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) if (b[i] === 10) line++;
  return line;
}
