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
  it('refuses an empty file, and a header without data rows, each saying which it is', () => {
    expect(() => parseCsv('', 'empty.csv')).toThrow(
      'empty.csv is empty. Choose a CSV with a header row and data rows.',
    );
    expect(() => parseCsv('\n \n', 'blank.csv')).toThrow(/blank.csv is empty/);
    expect(() => parseCsv('review,rating\n\n', 'h.csv')).toThrow(
      'h.csv has a header row ("review", "rating") but no data rows. Add rows below it.',
    );
  });
  it('lists a record whose quote is never closed, and reads the lines after it', () => {
    const t = parseCsv('review,rating\ngood,5\n"broken,3\nok,4\nmulti,2\n', 'q.csv');
    expect(t.malformed).toEqual([
      { line: 3, reason: 'a quoted field opened on this line is never closed (a missing ")' },
    ]);
    expect(t.rows.map((r) => r.line)).toEqual([2, 4, 5]);
  });
  it('lists a stray quote that a later quote would close, and reads the lines after it', () => {
    const t = parseCsv('review,rating\ngood,5\n"broken,3\nok,4\n"multi\nline",2\n', 'q.csv');
    expect(t.malformed).toEqual([
      { line: 3, reason: 'a quoted field opened on this line is not closed properly (a stray " inside it?)' },
    ]);
    expect(t.rows.map((r) => [r.line, r.values.review])).toEqual([
      [2, 'good'],
      [4, 'ok'],
      [5, 'multi\nline'],
    ]);
  });
  it('renames a duplicate column name and says so', () => {
    const t = parseCsv('review,rating,rating\nx,1,2\n', 'd.csv');
    expect(t.columns).toEqual(['review', 'rating', 'rating_2']);
    expect(t.warnings).toEqual([
      'd.csv: column 3 has the same name as an earlier one, "rating"; it is called "rating_2" here. Rename it in the file if that is not what you meant.',
    ]);
  });
  it('reads mixed line endings alike, keeps the line breaks inside a quoted cell, and takes the delimiter from the header', () => {
    const t = parseCsv('review|rating\r\na|1\rb\n"c\r\nd"|3\n', 'm.csv');
    expect(t.columns).toEqual(['review', 'rating']);
    expect(t.rows.map((r) => [r.line, r.values.review, r.values.rating])).toEqual([
      [2, 'a', '1'],
      [4, 'c\r\nd', '3'],
    ]);
    expect(t.malformed).toEqual([{ line: 3, reason: 'has 1 field(s) but the header has 2' }]);
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
