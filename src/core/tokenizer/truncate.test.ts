import { describe, expect, it } from 'vitest';
import { longestFirstLengths } from './truncate';

// [n1, n2, maxLength] → lengths kept; read off Hugging Face tokenizers 0.23 (Rust) with BertProcessing.
const pairCases: Array<[number, number, number, number, number]> = [
  [1, 45, 8, 1, 4], // only the longer text is cut
  [3, 45, 8, 2, 3], // the shorter would leave the longer less than itself: halves
  [2, 8, 10, 2, 5],
  [8, 2, 10, 5, 2],
  [6, 20, 13, 5, 5], // both cut: halves
  [5, 4, 4, 0, 1], // both over max length: the second gets the odd token
  [3, 2, 4, 1, 0], // the longer (first) gets the odd token
  [9, 8, 8, 2, 3],
  [9, 7, 8, 3, 2],
  [4, 4, 3, 0, 0],
  [0, 12, 9, 0, 6],
  [12, 0, 9, 6, 0],
];

describe('longestFirstLengths', () => {
  it.each(pairCases)('pair %i + %i at max %i keeps %i + %i', (n1, n2, max, k1, k2) => {
    expect(longestFirstLengths(n1, n2, max, 3)).toEqual([k1, k2]);
  });
  it('single texts keep max length minus [CLS] and [SEP]', () => {
    expect(longestFirstLengths(10, null, 8, 2)).toEqual([6, null]);
    expect(longestFirstLengths(3, null, 8, 2)).toEqual([3, null]);
  });
  it('leaves pairs that fit untouched', () => {
    expect(longestFirstLengths(2, 3, 8, 3)).toEqual([2, 3]);
  });
});
