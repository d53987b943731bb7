import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../core/search/trial';
import type { EvalPoint } from '../core/train/evaluate';
import {
  bestSoFar,
  NO_SEARCH,
  parseSpace,
  searchSeries,
  spaceFields,
  withEvaluation,
  withTrial,
} from './search';

const trial = (index: number, scores: number[]): TrialRecord => ({
  index,
  origin: index === 0 ? 'recipe' : 'drawn',
  settings: {
    learningRate: 1e-4,
    batchSize: 32,
    warmupRatio: 0.1,
    weightDecay: 0.01,
    dropout: null,
    loraRank: null,
  },
  scores,
  bestValAuc: Math.max(...scores),
  rung: scores.length - 1,
  steps: 10,
  seconds: 1,
  stopped: false,
});
const point = (step: number, auc: number) => ({ step, auc }) as EvalPoint;

describe('the search as the studio shows it', () => {
  it('keeps each trial’s newest record, in trial order', () => {
    let v = withTrial(NO_SEARCH, trial(2, [0.6]));
    v = withTrial(v, trial(0, [0.7]));
    v = withTrial(v, trial(2, [0.6, 0.8]));
    expect(v.trials.map((t) => [t.index, t.rung])).toEqual([
      [0, 0],
      [2, 1],
    ]);
  });

  it('the best so far is the best at the highest rung reached, not the highest score anywhere', () => {
    expect(bestSoFar([])).toBeNull();
    const trials = [trial(0, [0.9]), trial(1, [0.6, 0.7]), trial(2, [0.5, 0.75])];
    expect(bestSoFar(trials)?.index).toBe(2);
    expect(bestSoFar([trial(0, [0.7]), trial(1, [0.7])])?.index).toBe(0);
  });

  it('one series per trial, merged by step', () => {
    let v = withEvaluation(NO_SEARCH, 0, point(5, 0.6));
    v = withEvaluation(v, 1, point(5, 0.65));
    v = withEvaluation(v, 0, point(10, 0.7));
    expect(searchSeries(v)).toEqual([
      { step: 5, t0: 0.6, t1: 0.65 },
      { step: 10, t0: 0.7 },
    ]);
  });
});

describe('the search space in the form', () => {
  const space = {
    learningRate: [2.5e-5, 1e-3] as [number, number],
    batchSize: [32, 16],
    warmupRatio: [0.1, 0],
    weightDecay: [0.01, 0],
    dropout: [null, 0],
    loraRank: [],
  };
  it('shows a space as text and reads it back', () => {
    const fields = spaceFields(space);
    expect(fields).toMatchObject({
      lrFrom: '0.000025',
      batchSizes: '32, 16',
      dropouts: 'model, 0',
      loraRanks: '',
    });
    expect(parseSpace(fields)).toEqual(space);
  });
  it('refuses what is not numbers, or a range no trial fits, naming the part', () => {
    expect(() => parseSpace({ ...spaceFields(space), batchSizes: '32, big' })).toThrow(
      'Search space: batch sizes must be numbers separated by commas (got "big").',
    );
    expect(() => parseSpace({ ...spaceFields(space), lrFrom: '' })).toThrow(
      'Search space: the learning rate from needs a number.',
    );
    expect(() => parseSpace({ ...spaceFields(space), lrTo: '1e-6' })).toThrow(/its start at most its end/);
  });
});
