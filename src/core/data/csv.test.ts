import { describe, expect, it } from 'vitest';
import { parseCsv, requireColumn } from './csv';

describe('parseCsv', () => {
  it('reads quoted newlines, a BOM, and a semicolon delimiter', () => {
    const t = parseCsv('\uFEFFtext;rating\n"two\nlines";5\nplain;3\n\n', 'r.csv');
    expect(t.columns).toEqual(['text', 'rating']);
    expect(t.rows).toEqual([
      { text: 'two\nlines', rating: '5' },
      { text: 'plain', rating: '3' },
    ]);
  });
  it('names malformed rows', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'r.csv')).toThrow(/r.csv has 1 malformed row\(s\): data row 2/);
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
});

describe('parseCsv keeps rows of empty fields', () => {
  it('a line of only delimiters is a row, a blank line is not', () => {
    expect(parseCsv('a,b\n,\n\nx,y\n', 'r.csv').rows).toEqual([
      { a: '', b: '' },
      { a: 'x', b: 'y' },
    ]);
  });
});
