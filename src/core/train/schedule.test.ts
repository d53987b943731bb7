import { describe, expect, it } from 'vitest';
import { evaluatesAfter, lrAt, lrSeries, planSchedule } from './schedule';

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

describe('planSchedule', () => {
  const s = {
    batchSize: 32,
    gradAccumulation: 1,
    epochs: 3,
    warmupRatio: 0.1,
    evalsPerEpoch: 2,
    learningRate: 1e-3,
  };
  it('counts steps by hand: 100 rows / 32 = 4 micro-batches per epoch, 12 steps', () => {
    const p = planSchedule(100, s);
    expect([p.microPerEpoch, p.stepsPerEpoch, p.totalSteps, p.warmupSteps, p.evalEvery]).toEqual([
      4, 4, 12, 1, 2,
    ]);
  });
  it('accumulation of 2 halves the steps (rounding up), evaluations at least every step', () => {
    const p = planSchedule(100, { ...s, gradAccumulation: 2, evalsPerEpoch: 4 });
    expect([p.stepsPerEpoch, p.totalSteps, p.evalEvery]).toEqual([2, 6, 1]);
  });
  it('evaluates every evalEvery steps and at the last one', () => {
    const p = planSchedule(100, { ...s, epochs: 1, evalsPerEpoch: 3 }); // 4 steps, every 1
    expect([1, 2, 3, 4].map((k) => evaluatesAfter(p, k))).toEqual([true, true, true, true]);
    const q = planSchedule(320, { ...s, epochs: 1, evalsPerEpoch: 3 }); // 10 steps, every 3
    expect([3, 4, 9, 10].map((k) => evaluatesAfter(q, k))).toEqual([true, false, true, true]);
  });
  it('lrSeries samples the plan, starts at 0 with warmup and ends at 0', () => {
    const series = lrSeries(planSchedule(32_000, { ...s, epochs: 1 })); // 1000 steps, warmup 100
    expect(series[0]).toEqual({ step: 0, lr: 0 });
    expect(series.at(-1)).toEqual({ step: 1000, lr: 0 });
    expect(series.length).toBeLessThanOrEqual(202);
    expect(series.find((p) => p.step === 100)?.lr).toBeCloseTo(1e-3, 12);
  });
});
