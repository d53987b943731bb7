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
