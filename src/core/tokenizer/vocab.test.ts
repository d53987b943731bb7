import { describe, expect, it } from 'vitest';
import { parseVocab, vocabTextFromTokenizerJson, vocabToIds } from './vocab';

describe('vocab.txt from a tokenizer.json', () => {
  it('lists the tokens in id order, one per line, whatever order the JSON keeps them in', () => {
    const json = { model: { vocab: { b: 2, '[PAD]': 0, '##a': 3, '[UNK]': 1 } } };
    const text = vocabTextFromTokenizerJson(json);
    expect(text).toBe('[PAD]\n[UNK]\nb\n##a\n');
    expect(vocabToIds(parseVocab(text))).toEqual({ '[PAD]': 0, '[UNK]': 1, b: 2, '##a': 3 });
  });

  it('keeps every id where the vocabulary skips one: an added token fills it, else a placeholder no text produces', () => {
    const json = {
      model: { vocab: { '[PAD]': 0, a: 1, c: 4 } },
      added_tokens: [{ id: 2, content: '[NEW]' }],
    };
    const lines = parseVocab(vocabTextFromTokenizerJson(json));
    expect(lines).toEqual(['[PAD]', 'a', '[NEW]', '[TABTUNE_UNUSED_3]', 'c']);
    expect(vocabToIds(lines).c).toBe(4);
  });

  it('refuses what a vocab.txt cannot hold, naming the file and the token', () => {
    expect(() => vocabTextFromTokenizerJson({ model: { type: 'BPE' } }, 'x/tokenizer.json')).toThrow(
      'x/tokenizer.json has no WordPiece vocabulary (model.vocab), so no vocab.txt can be written.',
    );
    expect(() => vocabTextFromTokenizerJson({ model: { vocab: { a: 0, 'b\nc': 1 } } })).toThrow(
      'tokenizer.json has the token "b\\nc", which a vocab.txt (one token per line) cannot hold.',
    );
  });
});
