import { describe, expect, it } from 'vitest';
import { parseCsv, requireColumn, requireWellFormed } from './csv';

const values = (t: ReturnType<typeof parseCsv>) => t.rows.map((r) => r.values);
const lines = (t: ReturnType<typeof parseCsv>) => t.rows.map((r) => r.line);

describe('parseCsv', () => {
  it('reads quoted newlines, a BOM, and a semicolon delimiter', () => {
    const t = parseCsv('\uFEFFtext;rating\n"two\nlines";5\nplain;3\n\n', 'r.csv');
    expect(t.columns).toEqual(['text', 'rating']);
    expect(values(t)).toEqual([
      { text: 'two\nlines', rating: '5' },
      { text: 'plain', rating: '3' },
    ]);
    expect(lines(t)).toEqual([2, 4]);
  });
  it('gives each row the line it starts on, across CRLF, blank lines and multi-line fields', () => {
    const t = parseCsv('a,b\r\n1,"x\r\ny\r\nz"\r\n\r\n2,w\r\n3,"q"\r\n', 'r.csv');
    expect(lines(t)).toEqual([2, 6, 7]);
  });
  it('lists rows with a wrong field count by line and keeps the others', () => {
    const t = parseCsv('a,b\n1,2\n3\n4,5,6\n7,8\n', 'r.csv');
    expect(values(t)).toEqual([
      { a: '1', b: '2' },
      { a: '7', b: '8' },
    ]);
    expect(t.malformed).toEqual([
      { line: 3, reason: 'has 1 field(s) but the header has 2' },
      { line: 4, reason: 'has 3 field(s) but the header has 2' },
    ]);
    expect(() => requireWellFormed(t, 'r.csv')).toThrow(
      /r.csv has 2 malformed row\(s\): line 3: has 1 field/,
    );
  });
  it('refuses a file without a header', () => {
    expect(() => parseCsv('', 'empty.csv')).toThrow(/empty.csv has no header row/);
  });
  it('names a missing column and lists the ones there are', () => {
    const t = parseCsv('title,review\nx,y\n', 'r.csv');
    expect(() => requireColumn(t, 'text', 'r.csv')).toThrow(
      'r.csv has no column "text". Its columns are: "title", "review".',
    );
  });
  it('a line of only delimiters is a row, a blank line is not', () => {
    expect(values(parseCsv('a,b\n,\n\nx,y\n', 'r.csv'))).toEqual([
      { a: '', b: '' },
      { a: 'x', b: 'y' },
    ]);
  });
});
