import { describe, expect, it } from 'vitest';
import { padBatch } from './batch';

describe('padBatch', () => {
  it('pads to the longest row with the pad id, type 0 and mask 0', () => {
    const b = padBatch(
      [
        { inputIds: [101, 7, 102], tokenTypeIds: [0, 0, 0], attentionMask: [1, 1, 1] },
        { inputIds: [101, 102, 9, 102], tokenTypeIds: [0, 0, 1, 1], attentionMask: [1, 1, 1, 1] },
      ],
      0,
    );
    expect([b.batchSize, b.seqLen]).toEqual([2, 4]);
    expect([...b.inputIds]).toEqual([101, 7, 102, 0, 101, 102, 9, 102]);
    expect([...b.tokenTypeIds]).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    expect([...b.attentionMask]).toEqual([1, 1, 1, 0, 1, 1, 1, 1]);
  });
  it('handles an empty batch', () => {
    expect(padBatch([], 0).seqLen).toBe(0);
  });
});
