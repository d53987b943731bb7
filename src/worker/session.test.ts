import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvBytes } from '../core/data/csv';
import { sampleCsv } from '../core/data/sample';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/config';
import type { CallType, Params, Reply, WorkerEvent } from '../shared/protocol';
import { memoryRunStore, type RunStore } from './runStore';
import type { RunHistory } from './runHistory';
import { Session } from './session';

/** A fresh Worker session (a new page's Worker): its calls, and the events they sent; on WASM (as the studio trains; the CPU backend is ten times slower) unless `init` is false. */
async function open(store?: RunStore, history?: RunHistory, init = true) {
  const session = new Session(store, history);
  const seen: WorkerEvent[] = [];
  let id = 1;
  const call = <K extends CallType>(type: K, params: Params<K>, signal?: AbortSignal) =>
    session.handle({ type, id: id++, params } as never, (e) => seen.push(e), signal) as Promise<Reply<K>>;
  if (init) await call('init', { backends: ['wasm'] });
  return { call, seen };
}
const bytes = (s: string) => new TextEncoder().encode(s);

beforeAll(() => {
  tf.env().set('PROD', true);
});

describe('the studio reads a dropped file with the core code the CLI uses', () => {
  it('same columns, rows, malformed records and warnings as readCsvBytes, for any bytes', async () => {
    const { call } = await open();
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
            const t = await call('table', { file: 'f.csv', blob: new Blob([b.slice()]) });
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

describe('a large file is read in chunks and its rows again when a run needs them', () => {
  const roles = { text: 'review', pair: null, label: 'rating' };
  const csv = sampleCsv(1500, 4);
  const file = new Blob([bytes(csv)]);

  it("streams reading progress, keeps the first rows, and reads the row limit's rows for a profile", async () => {
    const { call, seen: events } = await open();
    const t = await call('table', { file: 'big.csv', blob: file });
    expect(t).toMatchObject({
      rows: 1500,
      bytes: file.size,
      columns: ['review', 'item', 'customer', 'rating'],
    });
    const reads = events.filter((e) => e.type === 'reading');
    expect(reads.at(-1)).toEqual({ type: 'reading', read: file.size, total: file.size });
    const limited = await call('profile', { roles, rowLimit: { rows: 700, pick: 'random' }, seed: 3 });
    expect(limited.usable).toBe(700);
    expect((await call('profile', { roles, rowLimit: null, seed: 3 })).usable).toBe(1500);
  });

  it('trains on the chosen rows: the run says how many of the file it used', async () => {
    const { call, seen: events } = await open();
    await call('table', { file: 'big.csv', blob: file });
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      epochs: 1,
      batchSize: 32,
      maxLength: 16,
      classicalBaseline: false,
      rowLimit: { rows: 200, pick: 'first' as const },
    };
    const summary = await call('start', { config, roles, base: 'scratch' });
    expect(summary.data.usable).toBe(200);
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
    expect(logs).toContain('data: big.csv: using 200 of 1,500 rows (the first ones)');
  }, 120_000);

  it('stops reading when its signal is aborted, with a message that says to choose the file again', async () => {
    const { call } = await open();
    const stop = new AbortController();
    const reading = call('table', { file: 'big.csv', blob: file }, stop.signal);
    stop.abort();
    await expect(reading).rejects.toThrow('Reading big.csv was stopped; choose it again to read it.');
  });

  it('a read aborted while it waits its turn stops, and the read after it is answered', async () => {
    const { call } = await open();
    const first = new AbortController();
    const reads = [
      call('table', { file: 'first.csv', blob: file }, first.signal),
      call('table', { file: 'second.csv', blob: new Blob([bytes(sampleCsv(30, 2))]) }),
    ];
    first.abort();
    await expect(reads[0]).rejects.toThrow('Reading first.csv was stopped');
    expect((await reads[1])!.file).toBe('second.csv');
  });
});

describe('a running run keeps its data', () => {
  it('refuses another file or a profile mid-run, and records the file the run started with', async () => {
    const { call, seen: events } = await open();
    await call('table', { file: 'first.csv', blob: new Blob([bytes(sampleCsv(200, 5))]) });
    const roles = { text: 'review', pair: null, label: 'rating' };
    const config = { ...DEFAULT_TRAIN_CONFIG, epochs: 1, batchSize: 16, maxLength: 24 };
    const stop = new AbortController();
    const run = call('start', { config, roles, base: 'scratch' }, stop.signal);
    await call('pause', {});
    await new Promise((r) => setTimeout(r, 50));
    await expect(
      call('table', { file: 'second.csv', blob: new Blob([bytes(sampleCsv(50, 6))]) }),
    ).rejects.toThrow('A training run is in progress; stop it first.');
    await expect(call('profile', { roles, rowLimit: null, seed: 42 })).rejects.toThrow(
      'A training run is in progress; stop it first.',
    );
    stop.abort(); // Stop: the run's call is aborted, and it answers with what it trained
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
    const { call, seen: events } = await open();
    await call('table', { file: 'lr.csv', blob: new Blob([bytes(sampleCsv(120, 8))]) });
    const roles = { text: 'review', pair: null, label: 'rating' };
    const config = { ...DEFAULT_TRAIN_CONFIG, batchSize: 16, maxLength: 24 };
    await expect(call('lrFind', { config, roles, base: 'scratch', steps: 2 })).rejects.toThrow(
      'The learning-rate finder needs at least 5 steps (got 2).',
    );
    const before = events.length;
    const finding = call('lrFind', { config, roles, base: 'scratch', steps: 8 });
    await expect(
      call('table', { file: 'other.csv', blob: new Blob([bytes(sampleCsv(50, 6))]) }),
    ).rejects.toThrow('A training run is in progress; stop it first.');
    const result = await finding;
    expect(result.points).toHaveLength(8);
    expect(events.slice(before).filter((e) => e.type === 'lrPoint')).toHaveLength(8);
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
  const sessionWith = (store: RunStore) => open(store, undefined, false);

  it('offers the last saved state after a "crash", refuses other data, and resumes to the same result', async () => {
    const store = crashLeftStore();
    const first = await sessionWith(store);
    await first.call('init', { backends: ['wasm'] });
    await first.call('table', { file: 'reviews.csv', blob: new Blob([data]) });
    const whole = await first.call('start', { config, roles, base: 'scratch' });
    expect(first.seen.filter((e) => e.type === 'saved').length).toBe(store.saves);

    const reloaded = await sessionWith(store); // a new page: a new Worker with the same storage
    await reloaded.call('init', { backends: ['wasm'] });
    const saved = (await reloaded.call('savedRun', {}))!;
    expect(saved).toMatchObject({ dataFile: 'reviews.csv', baseModel: 'scratch', roles, config });
    expect(saved.step).toBe(8); // the second evaluation of 16 steps: half the run is left
    await expect(reloaded.call('resumeSaved', {})).rejects.toThrow(
      'Load reviews.csv, the file the saved run was trained on, to resume it.',
    );
    await reloaded.call('table', { file: 'other.csv', blob: new Blob([bytes(sampleCsv(160, 6))]) });
    await expect(reloaded.call('resumeSaved', {})).rejects.toThrow(
      /other.csv is not the data the saved run was trained on \(reviews.csv/,
    );
    await reloaded.call('table', { file: 'reviews.csv', blob: new Blob([data]) });
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
    const s = await sessionWith(full);
    await s.call('init', { backends: ['wasm'] });
    await s.call('table', { file: 'reviews.csv', blob: new Blob([data]) });
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

describe('the run history in the Worker', () => {
  const roles = { text: 'review', pair: null, label: 'rating' };
  const config = {
    ...DEFAULT_TRAIN_CONFIG,
    epochs: 1,
    batchSize: 32,
    maxLength: 16,
    classicalBaseline: false,
  };
  const withHistory = async (history?: RunHistory) => (await open(memoryRunStore(), history, false)).call;

  it('keeps each finished run with its file, settings and curves, and deletes one on request', async () => {
    const call = await withHistory();
    await call('init', { backends: ['wasm'] });
    await call('table', { file: 'h.csv', blob: new Blob([bytes(sampleCsv(120, 9))]) });
    await call('start', { config, roles, base: 'scratch' });
    await call('start', { config: { ...config, seed: 7 }, roles, base: 'scratch' });
    const { entries, unreadable } = await call('history', {});
    expect(unreadable).toEqual([]);
    expect(entries).toHaveLength(2);
    expect(entries[0]!.record.trainConfig.seed).toBe(7); // newest first
    expect(entries[1]!.record).toMatchObject({ data: { file: 'h.csv' }, backend: 'wasm (1 thread)' });
    expect(entries[1]!.record.result.history.length).toBeGreaterThan(1);
    await call('deleteRun', { id: entries[1]!.id });
    expect((await call('history', {})).entries.map((e) => e.id)).toEqual([entries[0]!.id]);
  }, 120_000);

  it('a history that cannot be written leaves a note on the run, and the run is not lost', async () => {
    const full: RunHistory = {
      list: async () => ({ entries: [], unreadable: [] }),
      add: async () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
      remove: async () => undefined,
    };
    const call = await withHistory(full);
    await call('init', { backends: ['wasm'] });
    await call('table', { file: 'h.csv', blob: new Blob([bytes(sampleCsv(120, 9))]) });
    const summary = await call('start', { config, roles, base: 'scratch' });
    expect(summary.notes).toContain(
      'This run could not be kept in the run history (The quota has been exceeded.); export it to keep its model and metrics.',
    );
    expect((await call('export', {})).zip.byteLength).toBeGreaterThan(1000);
  }, 120_000);
});

describe('LoRA adapters in the Worker', () => {
  const fixtures = new URL('../../test-fixtures/', import.meta.url).pathname;

  it('a LoRA run from scratch says why its export has no adapter (the Export panel shows it), and its zip has none', async () => {
    const { call } = await open();
    await call('table', { file: 'reviews.csv', blob: new Blob([bytes(sampleCsv(60, 3))]) });
    const lora = { r: 2, alpha: 4, dropout: 0, targets: ['query', 'value'], rslora: false };
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      epochs: 1,
      batchSize: 16,
      maxLength: 16,
      lora,
      classicalBaseline: false,
    };
    const run = await call('start', {
      config,
      roles: { text: 'review', pair: null, label: 'rating' },
      base: 'scratch',
    });
    expect(run.exportNote).toMatch(
      /^Trained with LoRA from scratch, so the export has no adapter\/ for PEFT/,
    );
    const names = Object.keys(unzipSync((await call('export', {})).zip));
    expect(names.some((n) => n.includes('/adapter/'))).toBe(false);
  }, 120_000);
  const files = (dir: string, prefix = '') =>
    readdirSync(dir)
      .filter((f) => !f.endsWith('golden.json') && statSync(`${dir}/${f}`).isFile())
      .map((f) => ({ path: `${prefix}${f}`, bytes: new Uint8Array(readFileSync(`${dir}/${f}`)) }));

  it('applies a TabTune adapter to the loaded base and scores as the merged export does; asks for the base first', async () => {
    const { call } = await open();
    const adapter = files(`${fixtures}lora/tabtune-export/adapter`, 'adapter/');
    await expect(call('load', { source: { kind: 'files', files: adapter } })).rejects.toThrow(
      'An adapter applies to its base model: load the model it was trained on first',
    );
    await call('load', { source: { kind: 'files', files: files(`${fixtures}models/st-gelu`) } });
    await expect(
      call('load', { source: { kind: 'files', files: files(`${fixtures}lora/peft-adapter`) } }),
    ).rejects.toThrow('The adapter carries no TabTune label block');
    const loaded = await call('load', { source: { kind: 'files', files: adapter } });
    expect(loaded.source).toBe('dropped files + LoRA adapter (r 4, query, value, intermediate.dense)');
    const rows = [
      { text: 'love it, fits perfectly', pair: null },
      { text: 'cheap material', pair: null },
    ];
    const viaAdapter = await call('predict', { rows });
    await call('load', { source: { kind: 'files', files: files(`${fixtures}lora/tabtune-export`) } });
    const viaMerged = await call('predict', { rows });
    viaAdapter.forEach((p, i) => expect(p.score).toBeCloseTo(viaMerged[i]!.score, 4));
  });
});

describe("the lab's calls (the benchmark, the test hooks) are not the studio's", () => {
  const lab = ['bench', 'loseDevice', 'gpuError'];

  it("the studio's Worker refuses them, saying where they are answered", async () => {
    const session = new Session();
    for (const type of lab)
      await expect(session.handle({ type, params: {} }, () => undefined)).rejects.toThrow(
        `This Worker does not answer "${type}": the lab's calls (the benchmark, the test hooks) are answered only by the lab's Worker`,
      );
  });
});
