import { describe, expect, it } from 'vitest';
import { wordAttributions } from './words';

describe('wordAttributions: word pieces summed into words', () => {
  it('joins "##" pieces to the word before, leaves out [CLS] and [SEP], and marks the second text', () => {
    const tokens = ['[CLS]', 'fab', '##ulous', 'dress', '[SEP]', 'size', '##s', '[SEP]'];
    const a = [0.001, 0.5, 0.25, -0.125, 0, 0.0625, 0.0625, 0];
    expect(wordAttributions(tokens, a)).toEqual([
      { word: 'fabulous', attribution: 0.75, segment: 0 },
      { word: 'dress', attribution: -0.125, segment: 0 },
      { word: 'sizes', attribution: 0.125, segment: 1 },
    ]);
  });

  it('keeps [UNK] as a word (it stands for one the vocabulary lacks); a "##" piece after [SEP] starts a word', () => {
    expect(wordAttributions(['[CLS]', '[UNK]', '[SEP]', '##x', '[SEP]'], [0, 0.5, 0, 0.25, 0])).toEqual([
      { word: '[UNK]', attribution: 0.5, segment: 0 },
      { word: '##x', attribution: 0.25, segment: 1 },
    ]);
  });
});
