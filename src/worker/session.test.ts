import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvBytes } from '../core/data/csv';
import { sampleCsv } from '../core/data/sample';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/config';
import type { CallType, Params, Reply, WorkerEvent } from '../shared/protocol';
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
