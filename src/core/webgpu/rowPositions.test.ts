import { describe, expect, it } from 'vitest';
import { rowPositions } from './webgpuKernels';

describe('rowPositions (the fixed order of the WebGPU embedding gradient)', () => {
  it('groups positions by id, ascending within each group', () => {
    const { order, starts } = rowPositions(Int32Array.from([2, 0, 2, 1, 0, 2]), 4);
    expect([...starts]).toEqual([0, 2, 3, 6, 6]);
    expect([...order]).toEqual([1, 4, 3, 0, 2, 5]);
  });

  it('every position once, in the group of its id', () => {
    const ids = Int32Array.from({ length: 500 }, (_, k) => (k * 31) % 97);
    const { order, starts } = rowPositions(ids, 100);
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(500).keys()]);
    for (let r = 0; r < 100; r++)
      for (let k = starts[r]!; k < starts[r + 1]!; k++) {
        expect(ids[order[k]!]).toBe(r);
        if (k > starts[r]!) expect(order[k]!).toBeGreaterThan(order[k - 1]!);
      }
  });
});
