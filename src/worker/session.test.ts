import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvBytes } from '../core/data/csv';
import { sampleCsv } from '../core/data/sample';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/config';
import type { CallType, Params, Reply, WorkerEvent } from '../shared/protocol';
import { memoryRunStore, type RunStore } from './runStore';
import { Session } from './session';

const events: WorkerEvent[] = [];
const session = new Session();
let nextId = 1;
function call<K extends CallType>(type: K, params: Params<K>): Promise<Reply<K>> {
  return session.handle({ type, id: nextId++, params } as never, (e) => events.push(e)) as Promise<Reply<K>>;
}
const bytes = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  tf.env().set('PROD', true);
  await call('init', { backends: ['cpu'] });
});

describe('the studio reads a dropped file with the core code the CLI uses', () => {
  it('same columns, rows, malformed records and warnings as readCsvBytes, for any bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.string({ maxLength: 200 }).map((s) => bytes(`review,rating\n${s}`)),
        ),
        async (b) => {
          let expected: unknown;
          try {
            const t = readCsvBytes(b.slice(), 'f.csv');
            expected = {
              columns: t.columns,
              rows: t.rows.length,
              malformed: t.malformed,
              warnings: t.warnings,
            };
          } catch (e) {
            expected = (e as Error).message;
          }
          let got: unknown;
          try {
            const t = await call('table', { file: 'f.csv', bytes: b.slice() });
            got = { columns: t.columns, rows: t.rows, malformed: t.malformed, warnings: t.warnings };
          } catch (e) {
            got = (e as Error).message;
          }
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('a running run keeps its data', () => {
  it('refuses another file or a profile mid-run, and records the file the run started with', async () => {
    await call('table', { file: 'first.csv', bytes: bytes(sampleCsv(200, 5)) });
    const roles = { text: 'review', pair: null, label: 'rating' };
    const config = { ...DEFAULT_TRAIN_CONFIG, epochs: 1, batchSize: 16, maxLength: 24 };
    const run = call('start', { config, roles, base: 'scratch' });
    await call('pause', {});
    await new Promise((r) => setTimeout(r, 50));
    await expect(call('table', { file: 'second.csv', bytes: bytes(sampleCsv(50, 6)) })).rejects.toThrow(
      'A training run is in progress; stop it first.',
    );
    await expect(call('profile', { roles })).rejects.toThrow('A training run is in progress; stop it first.');
    await call('stop', {});
    const summary = await run;
    expect(summary.reason).toBe('stopped');
    const zip = unzipSync((await call('export', {})).zip);
    const metrics = JSON.parse(strFromU8(zip['tabtune-model/metrics.json']!));
    expect(metrics.data.file).toBe('first.csv');
    expect(events.some((e) => e.type === 'plan')).toBe(true);
  }, 120_000);
});

describe('the learning-rate finder in the Worker', () => {
  it('streams its points, holds the data still while it runs, and refuses fewer than 5 steps', async () => {
    await call('table', { file: 'lr.csv', bytes: bytes(sampleCsv(120, 8)) });
    const roles = { text: 'review', pair: null, label: 'rating' };
    const config = { ...DEFAULT_TRAIN_CONFIG, batchSize: 16, maxLength: 24 };
    await expect(call('lrFind', { config, roles, base: 'scratch', steps: 2 })).rejects.toThrow(
      'The learning-rate finder needs at least 5 steps (got 2).',
    );
    events.length = 0;
    const finding = call('lrFind', { config, roles, base: 'scratch', steps: 8 });
    await expect(call('table', { file: 'other.csv', bytes: bytes(sampleCsv(50, 6)) })).rejects.toThrow(
      'A training run is in progress; stop it first.',
    );
    const result = await finding;
    expect(result.points).toHaveLength(8);
    expect(events.filter((e) => e.type === 'lrPoint')).toHaveLength(8);
  }, 120_000);
});

describe('saved runs in the Worker', () => {
  const roles = { text: 'review', pair: null, label: 'rating' };
  const config = {
    ...DEFAULT_TRAIN_CONFIG,
    epochs: 2,
    batchSize: 16,
    maxLength: 24,
    evalsPerEpoch: 2,
    earlyStopping: { metric: 'auc' as const, patience: 0 },
  };
  const data = bytes(sampleCsv(160, 5));

  /** A store that keeps the second save, as a crash after it would leave it (later saves and the clearing at the end are lost). */
  function crashLeftStore(): RunStore & { saves: number } {
    const inner = memoryRunStore();
    const store = {
      saves: 0,
      load: inner.load,
      clear: async () => {},
      save: async (b: Uint8Array) => {
        if (++store.saves <= 2) await inner.save(b);
      },
    };
    return store;
  }
  function sessionWith(store: RunStore) {
    const s = new Session(store);
    const seen: WorkerEvent[] = [];
    const call = <K extends CallType>(type: K, params: Params<K>) =>
      s.handle({ type, id: nextId++, params } as never, (e) => seen.push(e)) as Promise<Reply<K>>;
    return { call, seen };
  }

  it('offers the last saved state after a "crash", refuses other data, and resumes to the same result', async () => {
    const store = crashLeftStore();
    const first = sessionWith(store);
    await first.call('init', { backends: ['cpu'] });
    await first.call('table', { file: 'reviews.csv', bytes: data });
    const whole = await first.call('start', { config, roles, base: 'scratch' });
    expect(first.seen.filter((e) => e.type === 'saved').length).toBe(store.saves);

    const reloaded = sessionWith(store); // a new page: a new Worker with the same storage
    await reloaded.call('init', { backends: ['cpu'] });
    const saved = (await reloaded.call('savedRun', {}))!;
    expect(saved).toMatchObject({ dataFile: 'reviews.csv', baseModel: 'scratch', roles, config });
    expect(saved.step).toBe(8); // the second evaluation of 16 steps: half the run is left
    await expect(reloaded.call('resumeSaved', {})).rejects.toThrow(
      'Load reviews.csv, the file the saved run was trained on, to resume it.',
    );
    await reloaded.call('table', { file: 'other.csv', bytes: bytes(sampleCsv(160, 6)) });
    await expect(reloaded.call('resumeSaved', {})).rejects.toThrow(
      /other.csv is not the data the saved run was trained on \(reviews.csv/,
    );
    await reloaded.call('table', { file: 'reviews.csv', bytes: data });
    const resumed = await reloaded.call('resumeSaved', {});
    expect(resumed.final).toEqual(whole.final);
    // The charts get the evaluations made before the state was saved, then the new ones.
    const evals = reloaded.seen.filter((e) => e.type === 'evaluation');
    expect(evals.length).toBe(first.seen.filter((e) => e.type === 'evaluation').length);
  }, 240_000);

  it('reports a store that cannot save once, and trains on', async () => {
    let tries = 0;
    const full: RunStore = {
      save: async () => {
        tries++;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
      load: async () => [],
      clear: async () => {},
    };
    const s = sessionWith(full);
    await s.call('init', { backends: ['cpu'] });
    await s.call('table', { file: 'reviews.csv', bytes: data });
    const run = await s.call('start', { config, roles, base: 'scratch' });
    expect(run.reason).toBe('completed');
    expect(tries).toBe(1);
    const failed = s.seen.filter((e) => e.type === 'saveFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      message: expect.stringMatching(/quota has been exceeded.*Training goes on/),
    });
    expect(await s.call('savedRun', {})).toBeNull();
  }, 240_000);
});
