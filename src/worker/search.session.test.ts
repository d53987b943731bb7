import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/config';
import type { CallType, Params, Reply, WorkerEvent } from '../shared/protocol';
import { memoryRunStore, type RunStore } from './runStore';
import { Session } from './session';

/** A new page's Worker with `searchStore` as its search storage (a reload keeps it), on WASM. */
async function open(searchStore: RunStore) {
  const session = new Session(undefined, undefined, undefined, searchStore);
  const seen: WorkerEvent[] = [];
  let id = 1;
  const call = <K extends CallType>(type: K, params: Params<K>, signal?: AbortSignal) =>
    session.handle({ type, id: id++, params } as never, (e) => seen.push(e), signal) as Promise<Reply<K>>;
  await call('init', { backends: ['wasm'] });
  await call('table', { file: 'reviews.csv', blob: new Blob([new TextEncoder().encode(sampleCsv(120, 5))]) });
  return { call, seen };
}

const roles = { text: 'review', pair: null, label: 'rating' };
const config = {
  ...DEFAULT_TRAIN_CONFIG,
  epochs: 2,
  batchSize: 16,
  maxLength: 24,
  learningRate: 1e-3,
  evalsPerEpoch: 1,
  classicalBaseline: false,
};
const search = { budgetMinutes: 10, maxTrials: 4, space: null };

beforeAll(() => tf.env().set('PROD', true));

describe('the settings search in the Worker', () => {
  it('streams its trials, and its winner finishes as the run: results, history, an export naming the search', async () => {
    const { call, seen } = await open(memoryRunStore());
    const run = await call('search', { config, roles, base: 'scratch', search });
    const trials = seen.filter((e) => e.type === 'searchTrial');
    expect(trials.length).toBeGreaterThanOrEqual(4);
    expect(seen.some((e) => e.type === 'searchEvaluation')).toBe(true);
    expect(run.search).toMatchObject({ trials: expect.any(Number) });
    expect(run.final.test?.auc).toEqual(expect.any(Number));
    const { entries } = await call('history', {});
    expect(entries[0]!.record.search).toMatchObject({ winner: run.search!.winner });
    const files = unzipSync((await call('export', {})).zip);
    const card = strFromU8(files['tabtune-model/README.md']!);
    expect(card).toMatch(/## Settings search/);
    expect(await call('savedSearch', {})).toBeNull(); // over: nothing to go on with
  }, 240_000);

  it('after a reload goes on from its saved state; Stop ends it with the best so far as the run', async () => {
    // The store keeps the first two saves, as a crash after them would leave it.
    const inner = memoryRunStore();
    let saves = 0;
    const store: RunStore = {
      load: inner.load,
      clear: async () => {},
      save: async (b) => {
        if (++saves <= 2) await inner.save(b);
      },
    };
    const first = await open(store);
    const stop = new AbortController();
    let trialEvents = 0;
    const stopping = first.call('search', { config, roles, base: 'scratch', search }, stop.signal);
    const watch = setInterval(() => {
      trialEvents = first.seen.filter((e) => e.type === 'searchTrial').length;
      if (trialEvents >= 2) stop.abort();
    }, 20);
    const stopped = await stopping;
    clearInterval(watch);
    expect(stopped.search!.ending).toMatch(/^the search was stopped/);

    const reloaded = await open(store); // a new page: a new Worker with the same storage
    const saved = (await reloaded.call('savedSearch', {}))!;
    expect(saved).toMatchObject({ dataFile: 'reviews.csv', baseModel: 'scratch', trained: 2, roles });
    const resumed = await reloaded.call('resumeSearch', {});
    expect(reloaded.seen).toContainEqual({
      type: 'log',
      message: expect.stringMatching(/^Going on with the saved settings search: \d+ trials, 2 have trained/),
    });
    expect(resumed.search!.ending).toBe('every rung finished.');
  }, 240_000);
});
