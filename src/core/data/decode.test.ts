import { describe, expect, it } from 'vitest';
import { readCsvBytes } from './csv';
import { buildDataset } from './dataset';
import { unfinishedSequence } from './decode';

const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

describe('readCsvBytes: what kind of file it is, and how its bytes were read', () => {
  it('UTF-8, with or without a BOM, is read as is', () => {
    const t = readCsvBytes(bytes([0xef, 0xbb, 0xbf], 'review,rating\ncafé 🙂,5\n'), 'u.csv');
    expect(t.rows[0]?.values).toEqual({ review: 'café 🙂', rating: '5' });
    expect(t.warnings).toEqual([]);
  });
  it('Windows-1252 (Latin-1) is read as such, with a warning naming the first line that is not UTF-8', () => {
    const t = readCsvBytes(bytes('review,rating\nok,4\ncaf', [0xe9], ' cr', [0xe8], 'me,5\n'), 'l.csv');
    expect(t.rows[1]?.values.review).toBe('café crème');
    expect(t.warnings).toEqual([
      'l.csv is not valid UTF-8 (first at line 3); it was read as Windows-1252 (Latin-1), the usual encoding of spreadsheets saved on Windows, on the 1 line(s) that are not UTF-8 (3), and as UTF-8 on the others. If accents or symbols look wrong, save the file as "CSV (UTF-8)".',
    ]);
  });
  it('a UTF-8 file with one Latin-1 line keeps its UTF-8 lines intact, and names the other', () => {
    const good = Array.from({ length: 119 }, (_, i) => `Très joli ${i} 🙂,5`);
    const latin = Buffer.from('Tr\xe8s beau,4\n', 'latin1');
    const utf8 = (t: string) => [...Buffer.from(t, 'utf8')];
    const b = bytes(
      `review,rating\n${good.slice(0, 60).join('\n')}\n`,
      [...latin],
      utf8(`${good.slice(60).join('\n')}\n`),
    );
    const t = readCsvBytes(b, 'm.csv');
    expect(t.rows).toHaveLength(120);
    expect(t.rows[0]!.values.review).toBe('Très joli 0 🙂');
    expect(t.rows[60]!.values.review).toBe('Très beau');
    expect(t.rows[119]!.values.review).toBe('Très joli 118 🙂');
    expect(t.warnings[0]).toMatch(
      /^m\.csv is not valid UTF-8 \(first at line 62\); .* on the 1 line\(s\) that are not UTF-8 \(62\), and as UTF-8 on the others/,
    );
  });
  it.each([
    ['little', 'utf16le', (b: Buffer) => b],
    ['big', 'utf16be', (b: Buffer) => b.swap16()],
  ])('UTF-16 (%s-endian), with a BOM or without, is read as such', (order, _, swap) => {
    for (const bom of ['\ufeff', '']) {
      const b = new Uint8Array(swap(Buffer.from(`${bom}review,rating\ncafé,5\n`, 'utf16le')));
      const t = readCsvBytes(b, 'w.csv');
      expect(t.rows[0]?.values).toEqual({ review: 'café', rating: '5' });
      expect(t.warnings).toEqual([`w.csv is UTF-16 (${order}-endian) text; it was read as such.`]);
    }
  });
  it.each([
    ['gzip', [0x1f, 0x8b, 8, 0, 1, 2], /r.csv is a gzip-compressed file; unpack it/],
    [
      'zip / xlsx',
      [0x50, 0x4b, 3, 4, 20, 0],
      /r.csv is a zip archive \(an Excel .xlsx workbook is one too\)/,
    ],
    ['pdf', [...new TextEncoder().encode('%PDF-1.7\n')], /r.csv is a PDF document/],
    ['xls', [0xd0, 0xcf, 0x11, 0xe0, 0xa1], /r.csv is an old Excel \(.xls\) workbook/],
    ['json array', [...new TextEncoder().encode('[{"review": "x", "rating": 5}]')], /r.csv is JSON, not CSV/],
    ['json object', [...new TextEncoder().encode(' {"rows": []}')], /r.csv is JSON, not CSV/],
    [
      'other binary',
      [0x41, 0x42, 0, 0, 0x43, 0x0a, 0, 0, 0x44, 0x45, 0, 0, 0x47],
      /r.csv holds binary data \(a zero byte at byte 2\)/,
    ],
  ])('%s: says what the file is instead of garbled columns', (_, b, message) => {
    expect(() => readCsvBytes(Uint8Array.from(b), 'r.csv')).toThrow(message);
  });
  it('a text file with a few stray NUL bytes is text: every row kept, byte for byte, the lines named', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `review number ${i},${1 + (i % 5)}`);
    rows[40] = 'nice\u0000 dress,5';
    rows[200] = '\u0000,4';
    const t = readCsvBytes(new TextEncoder().encode(`review,rating\n${rows.join('\n')}\n`), 'n.csv');
    expect(t.rows).toHaveLength(300);
    expect(t.rows[40]!.values.review).toBe('nice\u0000 dress');
    expect(t.warnings).toEqual([
      "n.csv holds 2 zero (NUL) byte(s), on line(s) 42, 202 — spreadsheets keep them when re-saving. They are ignored in the text (BERT's tokenizer drops them) and kept in the cells; a cell with nothing else is listed as unusable.",
    ]);
    const ds = buildDataset(t, { text: 'review', pair: null, label: 'rating' }, 'n.csv');
    expect(ds.examples).toHaveLength(299);
    expect(ds.badRows.map((b) => b.line)).toEqual([202]);
  });
});

describe('unfinishedSequence: the UTF-8 bytes a chunk ends in the middle of', () => {
  it('keeps a lead byte and its continuations when the character is cut; nothing after a whole one', () => {
    const u = (...b: number[]) => Array.from(unfinishedSequence(Uint8Array.from(b)));
    expect(u(0x41, 0xe2, 0x82)).toEqual([0xe2, 0x82]); // € cut after two of its three bytes
    expect(u(0x41, 0xe2, 0x82, 0xac)).toEqual([]); // € whole
    expect(u(0xc2, 0x80, 0x0a, 0x00)).toEqual([]); // a whole character, a newline, NUL
    expect(u(0xf0, 0x9f, 0x98)).toEqual([0xf0, 0x9f, 0x98]); // a 4-byte emoji, one byte short
    expect(u(0x9f, 0x98, 0x80)).toEqual([]); // continuations only: their lead is further back, and whole
    expect(u()).toEqual([]);
  });
});
