import { describe, expect, it } from 'vitest';
import { lrAt } from './schedule';

describe('lrAt (linear warmup, then linear decay to 0)', () => {
  // Values by hand: peak 1e-3, warmup 4, total 12.
  it.each([
    [0, 0],
    [1, 0.25e-3],
    [3, 0.75e-3],
    [4, 1e-3],
    [8, 0.5e-3],
    [11, 0.125e-3],
    [12, 0],
    [20, 0],
  ])('step %i → %f', (step, lr) => {
    expect(lrAt(step, 1e-3, 4, 12)).toBeCloseTo(lr, 15);
  });
  it('without warmup starts at the peak', () => {
    expect(lrAt(0, 2e-5, 0, 10)).toBe(2e-5);
  });
});
