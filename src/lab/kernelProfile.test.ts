import { describe, expect, it } from 'vitest';
import { summarizeKernels } from './kernelProfile';

describe('summarizeKernels', () => {
  it('groups by name with calls, time and share, most expensive first', () => {
    const s = summarizeKernels([
      { name: 'BatchMatMul', ms: 6 },
      { name: 'Tile', ms: 1 },
      { name: 'BatchMatMul', ms: 2 },
      { name: 'Add', ms: null },
      { name: 'unnamed scope', ms: 8 }, // a tf.customGrad wrapper: its time is its kernels'
    ]);
    expect(s.kernels).toBe(4);
    expect(s.kernelMs).toBe(9);
    expect(s.top).toEqual([
      { name: 'BatchMatMul', calls: 2, ms: 8, share: 8 / 9 },
      { name: 'Tile', calls: 1, ms: 1, share: 1 / 9 },
      { name: 'Add', calls: 1, ms: 0, share: 0 },
    ]);
  });
});
