import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressMeter, smooth } from './progress';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [42.4, '42s'],
    [185, '3m05s'],
    [3720, '1h02m'],
    [Infinity, '—'],
  ])('%f s → %s', (s, text) => expect(formatDuration(s)).toBe(text));
});

describe('smooth (bias-corrected EMA)', () => {
  it('starts at the first value and follows a constant exactly', () => {
    expect(smooth([2, 2, 2])).toEqual([2, 2, 2].map(() => expect.closeTo(2, 12)));
  });
  it('by hand: weight 0.5 over [0, 4]', () => {
    // avg1 = 0, corrected 0; avg2 = 0.5·0 + 0.5·4 = 2, corrected 2 / (1 − 0.25) = 8/3
    const [a, b] = smooth([0, 4], 0.5);
    expect(a).toBe(0);
    expect(b).toBeCloseTo(8 / 3, 12);
  });
});

describe('ProgressMeter', () => {
  it('by hand: 64 examples in 2 s is 32 examples/s; 8 steps of 32 left take 8 s', () => {
    let t = 1000;
    const meter = new ProgressMeter(
      { totalSteps: 10, stepsPerEpoch: 5, batchSize: 32, microPerStep: 1 },
      () => t,
    );
    t = 2000;
    meter.record(1, 32, 0.5, 1e-4);
    t = 3000;
    expect(meter.record(2, 32, 0.4, 2e-4)).toEqual({
      step: 2,
      totalSteps: 10,
      epoch: 0.4,
      loss: 0.4,
      learningRate: 2e-4,
      examplesPerSecond: 32,
      etaSeconds: 8,
    });
  });
});
