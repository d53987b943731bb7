import { describe, expect, it } from 'vitest';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { parseCsv } from './csv';
import { buildDataset } from './dataset';
import { profileDataset } from './profile';

describe('profileDataset', () => {
  const csv = 'review,rating\n"good one",5\n"bad",1\n,3\n"ok then fine",5\n';
  const ds = buildDataset(parseCsv(csv, 'r.csv'), { text: 'review', pair: null, label: 'rating' }, 'r.csv');
  it('counts ratings and words without a tokenizer', () => {
    const p = profileDataset(ds, null);
    expect(p.usable).toBe(3);
    expect(p.badRows).toEqual([{ line: 4, reason: 'empty text in "review"' }]);
    expect(p.ratings).toEqual([
      { rating: '1', count: 1 },
      { rating: '5', count: 2 },
    ]);
    expect(p.lengths.unit).toBe('words');
    expect([p.lengths.p50, p.lengths.max]).toEqual([2, 3]);
  });
  it('multi-label: counts the rows of each label, most first, then those with none', () => {
    const tags = 'review,tags\n"a",dress;sizing\n"b",dress\n"c",\n"d",sizing;dress\n"e",top\n';
    const roles = { text: 'review', pair: null, label: 'tags', labelSeparator: ';' };
    const p = profileDataset(buildDataset(parseCsv(tags, 't.csv'), roles, 't.csv'), null);
    expect(p.kind).toBe('labels');
    expect(p.ratings).toEqual([
      { rating: 'dress', count: 3 },
      { rating: 'sizing', count: 2 },
      { rating: 'top', count: 1 },
      { rating: '(no label)', count: 1 },
    ]);
    expect(profileDataset(ds, null).kind).toBe('ratings');
  });
  it('counts tokens, [CLS] and [SEP] included, with a tokenizer', () => {
    const tok = BertTokenizer.fromVocab(
      ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'good', 'one', 'bad', 'ok', 'then', 'fine'].join('\n'),
    );
    const p = profileDataset(ds, tok);
    expect(p.lengths.unit).toBe('tokens');
    expect([p.lengths.p50, p.lengths.max]).toEqual([4, 5]);
    expect(p.lengths.bins.reduce((s, b) => s + b.count, 0)).toBe(3);
  });
});
