import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BertTokenizer } from './bertTokenizer';
import type { BertTokenizerConfig } from './tokenizerJson';
import { tokenizerJsonFromVocab } from './tokenizerJson';
import { parseVocab } from './vocab';

interface GoldenCase {
  config: string;
  text: string;
  pair: string | null;
  maxLength: number | null;
  input_ids: number[];
  token_type_ids: number[];
}
const fixtures = new URL('../../../test-fixtures/tokenizer/', import.meta.url);
const vocabText = readFileSync(new URL('vocab-uncased-30k.txt', fixtures), 'utf8');
const golden = JSON.parse(readFileSync(new URL('golden.json', fixtures), 'utf8')) as {
  configs: Array<{ name: string; tokenizerConfig: BertTokenizerConfig }>;
  cases: GoldenCase[];
};

describe('BertTokenizer matches Hugging Face BertTokenizerFast (Rust tokenizers golden ids)', () => {
  for (const { name, tokenizerConfig } of golden.configs) {
    it(`${name}: from vocab.txt and from tokenizer.json`, () => {
      const fromVocab = BertTokenizer.fromVocab(vocabText, tokenizerConfig);
      const json = JSON.parse(JSON.stringify(tokenizerJsonFromVocab(parseVocab(vocabText), tokenizerConfig)));
      const fromJson = BertTokenizer.fromTokenizerJson(json, tokenizerConfig);
      const cases = golden.cases.filter((c) => c.config === name);
      expect(cases.length).toBeGreaterThan(300);
      for (const c of cases) {
        for (const tok of [fromVocab, fromJson]) {
          const enc = tok.encode(c.text, c.pair, c.maxLength);
          const label = `${JSON.stringify(c.text.slice(0, 60))} / ${JSON.stringify(c.pair?.slice(0, 30))} max=${c.maxLength}`;
          expect(enc.inputIds, label).toEqual(c.input_ids);
          expect(enc.tokenTypeIds, label).toEqual(c.token_type_ids);
          expect(enc.attentionMask).toEqual(c.input_ids.map(() => 1));
        }
      }
    });
  }
});

describe('BertTokenizer errors', () => {
  const tok = BertTokenizer.fromVocab(vocabText);
  it('refuses a max length too small for the special tokens', () => {
    expect(() => tok.encode('a', 'b', 2)).toThrow(/max length 2 is too small.*at least 3/);
    expect(() => tok.encode('a', null, 1)).toThrow(/at least 2/);
    expect(tok.encode('a', 'b', 3).inputIds).toEqual([tok.clsId, tok.sepId, tok.sepId]);
  });
  it('refuses a non-WordPiece tokenizer.json', () => {
    expect(() => BertTokenizer.fromTokenizerJson({ model: { type: 'BPE', vocab: {} } })).toThrow(
      /model type is "BPE".*BERT WordPiece/,
    );
    expect(() => BertTokenizer.fromTokenizerJson('nope')).toThrow(/not a JSON object/);
  });
  it('refuses an empty vocab.txt and one without [CLS]', () => {
    expect(() => BertTokenizer.fromVocab('')).toThrow(/vocab.txt is empty/);
    expect(() => BertTokenizer.fromVocab('[PAD]\n[UNK]\nhello\n')).toThrow(/has no \[CLS\] token/);
  });
});
