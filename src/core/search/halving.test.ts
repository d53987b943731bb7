import { describe, expect, it } from 'vitest';
import {
  end,
  entrants,
  fullRunsFor,
  mayContinue,
  nextRun,
  record,
  rungReached,
  rungShares,
  startHalving,
  trialsThatFit,
  winner,
  type HalvingState,
} from './halving';

/** Runs the halving to its end, scoring each trial at each rung with `score(trial, rung)`; the order of runs. */
function runAll(state: HalvingState, score: (trial: number, rung: number) => number | null) {
  const order: string[] = [];
  for (let next = nextRun(state); next; next = nextRun(state)) {
    order.push(`${next.trial}@${next.rung}`);
    state = record(state, next.trial, next.rung, score(next.trial, next.rung));
  }
  return { state, order };
}

describe('successive halving', () => {
  it('rungs: η = 3 over 3 rungs trains to 1/9, 1/3 and all of the budget', () => {
    expect(rungShares(3, 3)).toEqual([1 / 9, 1 / 3, 1]);
    expect(rungShares(2, 2)).toEqual([0.5, 1]);
  });

  it('9 trials: all at rung 0, the best 3 at rung 1, the best 1 at rung 2; the winner is the best at the top', () => {
    // Trial t scores t / 10 at every rung: the later trials are better.
    const { state, order } = runAll(startHalving(9), (t) => t / 10);
    expect(order).toEqual([...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((t) => `${t}@0`), '6@1', '7@1', '8@1', '8@2']);
    expect(entrants(state, 1)).toEqual([6, 7, 8]);
    expect(winner(state)).toBe(8);
    expect([rungReached(state, 0), rungReached(state, 7), rungReached(state, 8)]).toEqual([0, 1, 2]);
  });

  it('the reference (the recipe) always goes on to the last rung, outside the count of promotions', () => {
    const { state, order } = runAll(startHalving(10, { reference: 0 }), (t) => t / 10);
    expect(entrants(state, 1)).toEqual([0, 7, 8, 9]); // ⌈9 / 3⌉ = 3 promoted, and the reference
    expect(entrants(state, 2)).toEqual([0, 9]);
    expect(order.slice(-2)).toEqual(['0@2', '9@2']);
    expect(winner(state)).toBe(9);
  });

  it('the reference can win; ties go to the earlier trial; an undefined score ranks last', () => {
    const tie = runAll(startHalving(4, { reference: 0 }), () => 0.8).state;
    expect(winner(tie)).toBe(0);
    const undefinedScores = runAll(startHalving(4), (t) => (t === 3 ? null : 0.5 + t / 10)).state;
    expect(entrants(undefinedScores, 1)).toEqual([1, 2]); // ⌈4 / 3⌉ = 2, trial 3 (null) last
    expect(winner(undefinedScores)).toBe(2);
  });

  it('a rung starts only once the rung below is complete; record refuses a run that is not the next', () => {
    let state = startHalving(3);
    expect(nextRun(state)).toEqual({ trial: 0, rung: 0 });
    expect(() => record(state, 1, 0, 0.5)).toThrow('trial 1 at rung 0 is not the run under way');
    state = record(state, 0, 0, 0.5);
    expect(entrants(state, 1)).toEqual([]);
    expect(winner(state)).toBe(0);
  });

  it('when the time runs out, nothing more runs and the winner comes from the highest rung reached', () => {
    let state = startHalving(9);
    for (let t = 0; t < 9; t++) state = record(state, t, 0, t === 4 ? 0.9 : 0.5);
    state = record(state, 0, 1, 0.95); // trial 0 was promoted (tied 0.5s go to the earlier trials)
    expect(entrants(state, 1)).toEqual([0, 1, 4]);
    state = end(state);
    expect(nextRun(state)).toBeNull();
    expect(winner(state)).toBe(0); // the only one at rung 1
  });

  it('mayContinue: a finished trial keeps its state only while it can still be promoted or win', () => {
    let state = startHalving(9, { reference: 0 });
    const kept: boolean[] = [];
    // Scores rise and fall: 0.5, 0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4 (⌈8 / 3⌉ = 3 promoted besides the reference).
    const s = [0.5, 0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4];
    for (let t = 0; t < 9; t++) {
      state = record(state, t, 0, s[t]!);
      kept.push(mayContinue(state, t, 0));
    }
    expect(kept).toEqual([true, true, true, true, true, true, false, false, false]);
    expect(entrants(state, 1)).toEqual([0, 1, 3, 5]);
    // Trials 2 and 4 were kept when they finished but are out now.
    expect([2, 4].map((t) => mayContinue(state, t, 0))).toEqual([false, false]);
  });

  it('cost: 9 trials with the reference at η = 3 cost about 3.2 full runs, without one about 2.3', () => {
    // Reference 1 run; 8 others × 1/9, then 3 × (1/3 − 1/9), then 1 × (1 − 1/3).
    expect(fullRunsFor(9, 3, 3, true)).toBeCloseTo(1 + 8 / 9 + 3 * (2 / 9) + 2 / 3, 10);
    expect(fullRunsFor(9, 3, 3, false)).toBeCloseTo(1 + 3 * (2 / 9) + 2 / 3, 10);
    expect(fullRunsFor(1, 3, 3, true)).toBe(1); // a lone reference: no other trial to halve
  });
});

describe('trials that fit a time budget', () => {
  it('the most whose halving costs no more than the time, given a full run’s', () => {
    // 9 trials cost 3.22 full runs, 10 cost 3.33, 11 cost 4.33 (η 3, 3 rungs, a reference).
    expect(trialsThatFit(400, 100, 3, 3, 27)).toBe(10);
    expect(trialsThatFit(333, 100, 3, 3, 27)).toBe(9);
    expect(trialsThatFit(1e9, 100, 3, 3, 6)).toBe(6);
    expect(trialsThatFit(10, 100, 3, 3, 27)).toBe(1);
  });
});
