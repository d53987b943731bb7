import { describe, expect, it } from 'vitest';
import { checkLabelSource, labelNames, rowLabels, strata, targetVector, unseenTags } from './labelSets';

const columns = { columns: ['recommended', 'dresses', 'tops'] };
const tagged = { tagColumn: 'tags', separator: ';' };

describe('rowLabels', () => {
  it('reads 0/1 columns (and true/false, yes/no) into the row’s labels', () => {
    expect(rowLabels({ recommended: '1', dresses: 'no', tops: 'TRUE' }, columns)).toEqual({
      tags: ['recommended', 'tops'],
    });
    expect(rowLabels({ recommended: '0', dresses: '0', tops: '0' }, columns)).toEqual({ tags: [] });
  });

  it('names the column and the value of a cell that is not 0/1, and of an empty one', () => {
    expect(rowLabels({ recommended: '4', dresses: '0', tops: '1' }, columns)).toEqual({
      error:
        'label "4" in "recommended" is not 0 or 1 (a multi-label column holds 0/1, true/false or yes/no)',
    });
    expect(rowLabels({ recommended: '1', dresses: ' ', tops: '1' }, columns)).toEqual({
      error: 'missing label in "dresses"',
    });
  });

  it('splits a tag column, trimming, without empty or repeated tags; an empty cell is a row with no label', () => {
    expect(rowLabels({ tags: ' dress ; sizing;;dress' }, tagged)).toEqual({ tags: ['dress', 'sizing'] });
    expect(rowLabels({ tags: '' }, tagged)).toEqual({ tags: [] });
  });
});

describe('checkLabelSource', () => {
  it('refuses one label column, a column named twice, an empty separator, and a label also chosen as text', () => {
    expect(() => checkLabelSource({ columns: ['a'] }, ['text'])).toThrow(
      /at least two label columns.*binary task/,
    );
    expect(() => checkLabelSource({ columns: ['a', 'b', 'a'] }, ['text'])).toThrow(/"a" is named twice/);
    expect(() => checkLabelSource({ tagColumn: 't', separator: '' }, ['text'])).toThrow(/separator is empty/);
    expect(() => checkLabelSource({ columns: ['a', 'text'] }, ['text'])).toThrow(
      /"text" is chosen both as text/,
    );
    expect(() => checkLabelSource(tagged, ['review', 'tags'])).toThrow(/"tags" is chosen both/);
    expect(() => checkLabelSource(columns, ['review'])).not.toThrow();
  });
});

describe('labelNames', () => {
  it('keeps the columns’ order; refuses a label no training row has, naming it', () => {
    expect(labelNames([['dresses'], ['recommended', 'tops']], columns, 'r.csv')).toEqual(columns.columns);
    expect(() => labelNames([['dresses'], ['dresses']], columns, 'r.csv')).toThrow(
      /No training row of r.csv has "recommended", "tops" set to 1/,
    );
  });

  it('takes the training rows’ tags, most frequent first, and refuses fewer than two', () => {
    expect(labelNames([['b', 'a'], ['a'], ['c', 'b'], ['a']], tagged, 'r.csv')).toEqual(['a', 'b', 'c']);
    expect(() => labelNames([['a'], []], tagged, 'r.csv')).toThrow(/one tag only \("a"\).*separator ";"/);
    expect(() => labelNames([[], []], tagged, 'r.csv')).toThrow(/holds no tag/);
  });
});

describe('unseenTags, targetVector, strata', () => {
  it('lists the tags that training lacks with their row counts', () => {
    expect([...unseenTags([['a', 'z'], ['z'], ['y']], ['a', 'b'])]).toEqual([
      ['z', 2],
      ['y', 1],
    ]);
  });

  it('makes a 0/1 target per label in the names’ order', () => {
    expect(targetVector(['tops', 'recommended', 'unknown'], columns.columns)).toEqual([1, 0, 1]);
  });

  it('puts each row in the stratum of its rarest label', () => {
    expect(strata([['a', 'b'], ['a'], ['a', 'c'], ['c'], []])).toEqual(['b', 'a', 'c', 'c', '']);
  });
});
