import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../data/csv';
import { sampleCsv } from '../data/sample';
import { DEFAULT_TRAIN_CONFIG } from '../train/config';
import type { RunRequest } from '../train/run';
import { prepareRun, runTraining } from '../train/run';
import { compareWithRecipe, searchSummary } from './finish';
import { DEFAULT_SEARCH, runSearch, type SearchOutcome } from './search';
import { decodeSearch, encodeSearch, type SavedSearch } from './saved';
import { describeSearch } from './summary';

// A small search from scratch on the synthetic reviews, on WASM: 4 trials, 2 rungs.
const request = (csv: string): Omit<RunRequest, 'events' | 'resume'> => ({
  data: { table: parseCsv(csv, 'reviews.csv'), file: 'reviews.csv' },
  validation: null,
  roles: { text: 'review', pair: null, label: 'rating' },
  config: {
    ...DEFAULT_TRAIN_CONFIG,
    epochs: 2,
    batchSize: 16,
    maxLength: 24,
    learningRate: 1e-3,
    evalsPerEpoch: 1,
    classicalBaseline: false,
  },
  base: { kind: 'scratch' },
  backend: 'wasm',
});
const options = { ...DEFAULT_SEARCH, maxTrials: 4, rungs: 2, eta: 2, lrFinder: false, seed: 3 };
const csv = sampleCsv(120, 5);

let outcome: SearchOutcome;
const logs: string[] = [];
beforeAll(async () => {
  await tf.setBackend('wasm');
  outcome = await runSearch({ ...request(csv), options, events: { log: (m) => logs.push(m) } });
}, 240_000);

describe('the settings search', () => {
  it('runs every trial to the first rung and the better half on, with the recipe first and to the end', () => {
    expect(outcome.trials).toHaveLength(4);
    expect(outcome.trials[0]).toMatchObject({
      origin: 'recipe',
      settings: { learningRate: 1e-3, batchSize: 16 },
    });
    expect(outcome.trials.every((t) => t.scores.length >= 1 && t.steps > 0 && t.seconds > 0)).toBe(true);
    // η 2 over 2 rungs: 3 trials besides the recipe, ⌈3 / 2⌉ = 2 go on, and the recipe.
    expect(outcome.trials.filter((t) => t.rung === 1)).toHaveLength(3);
    expect(outcome.trials[0]!.rung).toBe(1);
    expect(outcome.trials.filter((t) => t.stopped)).toHaveLength(1);
    expect(outcome.winnerState.train.step).toBe(outcome.winnerState.totalSteps);
    expect(outcome.winnerState.config.earlyStopping.patience).toBe(0);
    const best = Math.max(...outcome.trials.filter((t) => t.rung === 1).map((t) => t.scores[1] ?? -1));
    expect(outcome.trials[outcome.winner]!.scores[1]).toBe(best);
    expect(logs.some((l) => /^Settings search: 4 trials by successive halving/.test(l))).toBe(true);
  });

  it('reads validation only: with the test split’s ratings shuffled, every trial scores the same and wins the same', async () => {
    const prepared = prepareRun(request(csv));
    const ratings = prepared.data.test.map((e) => e.rating).reverse();
    expect(new Set(ratings).size).toBeGreaterThan(1);
    const test = prepared.data.test.map((e, i) => ({ ...e, rating: ratings[i]! }));
    const shuffled = await runSearch({
      ...request(csv),
      options,
      prepared: { ...prepared, data: { ...prepared.data, test } },
    });
    expect(shuffled.winner).toBe(outcome.winner);
    expect(shuffled.trials.map((t) => t.scores)).toEqual(outcome.trials.map((t) => t.scores));
  }, 240_000);

  it('goes on after an interruption from its saved state (through its file), to the same trials and winner', async () => {
    // Interrupted as a crash would: the third save is the last thing it does.
    let saved: SavedSearch | null = null;
    let saves = 0;
    await expect(
      runSearch({
        ...request(csv),
        options,
        events: {
          save: (s) => {
            saved = decodeSearch(encodeSearch(s), 'search-state.zip');
            if (++saves === 3) throw new Error('crash');
          },
        },
      }),
    ).rejects.toThrow('crash');
    expect(saved!.progress.trials.filter((t) => t.rung >= 0)).toHaveLength(3);
    const logs: string[] = [];
    const resumed = await runSearch({
      ...request(csv),
      options,
      resume: saved,
      events: { log: (m) => logs.push(m) },
    });
    expect(logs).toContainEqual(
      expect.stringMatching(/^Going on with the saved settings search: 4 trials, 3 have trained/),
    );
    expect(resumed.winner).toBe(outcome.winner);
    resumed.trials.forEach((t, i) =>
      t.scores.forEach((score, r) => expect(score).toBeCloseTo(outcome.trials[i]!.scores[r]!, 5)),
    );
    // Another file's search is refused, naming both.
    await expect(runSearch({ ...request(sampleCsv(120, 6)), options, resume: saved })).rejects.toThrow(
      /reviews.csv is not the data the saved search ran on/,
    );
  }, 240_000);

  it('stopped, it ends after the trial under way and the best so far wins', async () => {
    const stop = new AbortController();
    let trials = 0;
    const stopped = await runSearch({
      ...request(csv),
      options,
      control: { signal: stop.signal },
      events: { trial: () => ++trials === 2 && stop.abort() },
    });
    expect(stopped.trials.filter((t) => t.rung >= 0)).toHaveLength(2);
    expect(stopped.ending).toBe(
      'the search was stopped, so the winner is chosen among the trials that finished rung 1.',
    );
    expect([0, 1]).toContain(stopped.winner);
    expect(stopped.winnerState.train.step).toBeLessThan(stopped.winnerState.totalSteps);
  }, 240_000);

  it('the winner finishes as a run: scored on test once, against the recipe with the paired interval', async () => {
    const run = await runTraining({ ...request(csv), resume: outcome.winnerState });
    try {
      expect(run.record.result.steps).toBe(outcome.winnerState.totalSteps);
      expect(run.record.result.final.test?.auc).toEqual(expect.any(Number));
      const vs = await compareWithRecipe(run, outcome, 'wasm');
      const lines = describeSearch(searchSummary(outcome, vs, null));
      expect(lines.at(-1)).toMatch(/validation AUC is optimistic: it was chosen for being the highest/);
      if (outcome.winner === 0) expect(vs).toBeNull();
      else {
        expect(vs).toMatchObject({ split: 'test' });
        expect(vs!.a).toBeCloseTo(run.record.result.final.test!.auc!, 10);
        expect(vs!.low).toBeLessThanOrEqual(vs!.difference);
        // The recipe's own schedule: it trained all of its steps (whatever the winner's batch size made of its own).
        expect(vs!.recipeSteps).toBe(vs!.recipeTotalSteps);
        expect(lines.join('\n')).toMatch(
          /On test \(scored once, after the choice\): winner 0\.\d{3}, recipe 0\.\d{3}/,
        );
      }
    } finally {
      run.model.dispose();
    }
  }, 240_000);
});
