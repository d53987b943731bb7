import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BertTokenizer } from './bertTokenizer';
import { EncodedRows } from './encodedRows';

const vocab = readFileSync(
  new URL('../../../test-fixtures/tokenizer/vocab-uncased-30k.txt', import.meta.url),
  'utf8',
);
const tokenizer = BertTokenizer.fromVocab(vocab, { do_lower_case: true });

describe('EncodedRows', () => {
  it('gives back each example exactly as the tokenizer encodes it: ids, segments, mask, truncation', () => {
    const examples = [
      { text: 'Love this dress, fits perfectly!', pair: null },
      { text: 'Runs small.', pair: 'petite, 30s' },
      { text: 'a '.repeat(80), pair: 'b '.repeat(80) }, // cut to max length, both segments
      { text: 'é', pair: '' },
    ];
    const rows = EncodedRows.encode(tokenizer, examples, 24);
    expect(rows.length).toBe(4);
    examples.forEach((e, i) => {
      const want = tokenizer.encode(e.text, e.pair, 24);
      expect(rows.get(i)).toEqual(want);
      expect(rows.tokenCount(i)).toBe(want.inputIds.length);
    });
    expect(rows.toArray()).toEqual(examples.map((e) => tokenizer.encode(e.text, e.pair, 24)));
  });

  it('holds 2 bytes a token for a vocabulary under 65,536, plus 8 bytes an example', () => {
    const examples = Array.from({ length: 500 }, (_, i) => ({
      text: `review number ${i} is fine`,
      pair: null,
    }));
    const rows = EncodedRows.encode(tokenizer, examples, 32);
    const tokens = examples.reduce((n, _, i) => n + rows.tokenCount(i), 0);
    expect(rows.bytes).toBe(2 * tokens + 4 * 501 + 4 * 500);
  });
});
