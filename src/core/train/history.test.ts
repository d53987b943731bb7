import { describe, expect, it } from 'vitest';
import {
  historyEntry,
  historyLabel,
  overlaySeries,
  parseHistoryEntry,
  sortHistory,
  type HistoryEntry,
} from './history';
import type { EvalPoint } from './evaluate';

const metrics = (auc: number | null, loss: number) => ({
  n: 10,
  loss,
  auc,
  rmse: null,
  mae: null,
  accuracy: null,
  macroF1: null,
});
const point = (
  step: number,
  auc: number,
  loss: number,
  phase: EvalPoint['phase'] = 'training',
): EvalPoint => ({
  ...metrics(auc, loss),
  step,
  epoch: step / 10,
  split: 'validation',
  phase,
});

function entry(points: EvalPoint[], ended: string, fingerprint: string): HistoryEntry {
  const record = {
    baseModel: 'scratch',
    roles: { text: 'review', pair: null, label: 'rating' },
    data: { file: 'reviews.csv', usableRows: 100, badRows: 0, train: 80, validation: 10, test: 10 },
    backend: 'cpu',
    createdAt: ended,
    result: {
      history: points,
      final: { validation: metrics(points.at(-1)!.auc, 0.5), test: null },
    },
  } as unknown as HistoryEntry['record'];
  return historyEntry(record, fingerprint, new Date(Date.parse(ended) - 95_000), new Date(ended));
}

describe('run history', () => {
  const a = entry(
    [point(0, 0.5, 1), point(10, 0.7, 0.8), point(20, 0.8, 0.6), point(20, 0.8, 0.6, 'final')],
    '2026-11-30T10:00:00.000Z',
    'aaaaaaaa',
  );
  const b = entry([point(0, 0.5, 1.1), point(15, 0.75, 0.7)], '2026-11-30T11:00:00.000Z', 'bbbbbbbb');

  it('keeps when a run ended, how long it took and its fingerprint; lists newest first', () => {
    expect(a).toMatchObject({ seconds: 95, fingerprint: 'aaaaaaaa', startedAt: '2026-11-30T09:58:25.000Z' });
    expect(sortHistory([a, b]).map((e) => e.id)).toEqual([b.id, a.id]);
    expect(historyLabel(a)).toBe('2026-11-30 10:00 · reviews.csv · scratch · AUC 0.800');
  });

  it('overlays runs on one step axis: each run its own key, null where it has no point, the final point left out', () => {
    const auc = overlaySeries([a, b], 'auc');
    expect(auc).toEqual([
      { step: 0, [a.id]: 0.5, [b.id]: 0.5 },
      { step: 10, [a.id]: 0.7, [b.id]: null },
      { step: 15, [a.id]: null, [b.id]: 0.75 },
      { step: 20, [a.id]: 0.8, [b.id]: null },
    ]);
    expect(overlaySeries([a, b], 'loss')[1]).toEqual({ step: 10, [a.id]: 0.8, [b.id]: null });
  });

  it('reads a stored entry back, and names a file that is cut short or is not a run record', () => {
    expect(parseHistoryEntry(JSON.stringify(a), 'x.json')).toEqual(a);
    expect(() => parseHistoryEntry(JSON.stringify(a).slice(0, 50), 'runs/x.json')).toThrow(
      'runs/x.json is not readable JSON (cut short?); it was left as it is.',
    );
    expect(() => parseHistoryEntry('{"id":"x"}', 'runs/y.json')).toThrow(
      'runs/y.json is not a TabTune run record; it was left as it is.',
    );
  });
});
