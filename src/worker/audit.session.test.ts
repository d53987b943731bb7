import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/config';
import type { CallType, Params, Reply, WorkerEvent } from '../shared/protocol';
import { Session } from './session';

/** A new page's Worker on WASM with 200 sample reviews read. */
async function open() {
  const session = new Session();
  const seen: WorkerEvent[] = [];
  let id = 1;
  const call = <K extends CallType>(type: K, params: Params<K>, signal?: AbortSignal) =>
    session.handle({ type, id: id++, params } as never, (e) => seen.push(e), signal) as Promise<Reply<K>>;
  await call('init', { backends: ['wasm'] });
  await call('table', { file: 'reviews.csv', blob: new Blob([sampleCsv(200, 8)]) });
  return { call, seen };
}

const roles = { text: 'review', pair: null, label: 'rating' };

beforeAll(() => tf.env().set('PROD', true));

describe('the label audit in the Worker', () => {
  it('audits the rows a run would use, fold by fold, and answers the rows to show and the CSV', async () => {
    const { call, seen } = await open();
    const report = await call('audit', { roles, config: DEFAULT_TRAIN_CONFIG, folds: 4, model: null });
    expect(seen.filter((e) => e.type === 'auditFold').map((e) => (e as { done: number }).done)).toEqual([
      1, 2, 3, 4,
    ]);
    expect(report.summary).toMatch(/^About \d+ of 200 labels/);
    expect(report.all).toHaveLength(200);
    expect(report.top.length).toBe(200);
    expect(report.top[0]!.text).toMatch(/^This /i);
    expect(report.csv.split('\n')[0]).toBe('review,line,given,predicted,suggested,suspicion,words');
    // A run's held-out predictions join the audit of their rows.
    const joined = await call('audit', {
      roles,
      config: DEFAULT_TRAIN_CONFIG,
      folds: 4,
      model: [{ line: report.top[0]!.line, score: report.top[0]!.given }],
    });
    expect(joined.summary).toContain("averaged with the fine-tuned model's predictions on 1 held-out rows");
  });

  it('stops between folds when the page aborts it, saying so', async () => {
    const { call } = await open();
    const stop = new AbortController();
    stop.abort();
    await expect(
      call('audit', { roles, config: DEFAULT_TRAIN_CONFIG, folds: 4, model: null }, stop.signal),
    ).rejects.toThrow(/The label audit was stopped|stopped/);
  });
});
