import { describe, expect, it } from 'vitest';
import { afterRun, applyEvent, INITIAL, locks, stepsFold } from './trainerState';

describe('locks', () => {
  it('lets another file be chosen while one is read, and nothing be changed while a model loads or a run trains', () => {
    expect(locks({ busy: null, status: 'idle' })).toEqual({ busy: false, choosingLocked: false });
    expect(locks({ busy: 'reading', status: 'idle' })).toEqual({ busy: true, choosingLocked: false });
    expect(locks({ busy: 'loading', status: 'done' })).toEqual({ busy: true, choosingLocked: true });
    expect(locks({ busy: 'starting', status: 'idle' })).toEqual({ busy: true, choosingLocked: true });
    for (const status of ['running', 'paused', 'stopping'] as const)
      expect(locks({ busy: null, status })).toEqual({ busy: true, choosingLocked: true });
  });
});

describe('applyEvent: what each streamed event changes', () => {
  const point = {
    step: 1,
    epoch: 0.1,
    loss: 0.5,
    smoothedLoss: 0.5,
    lr: 1e-3,
    examplesPerSecond: 10,
    etaSeconds: 5,
  };
  it('appends a run’s loss points, evaluations and log lines in order, leaving the rest as it was', () => {
    let s = applyEvent(INITIAL, { type: 'progress', point: point as never });
    s = applyEvent(s, { type: 'progress', point: { ...point, step: 2 } as never });
    s = applyEvent(s, { type: 'log', message: 'a' });
    s = applyEvent(s, { type: 'log', message: 'b' });
    expect(s.progress.map((p) => p.step)).toEqual([1, 2]);
    expect(s.logs).toEqual(['a', 'b']);
    expect({ ...s, progress: [], logs: [] }).toEqual(INITIAL);
  });

  it('a save clears the run offered for resuming (this one is newer); a failed save is kept to be shown', () => {
    const offered = { ...INITIAL, saved: { dataFile: 'old.csv' } as never };
    expect(applyEvent(offered, { type: 'saved', step: 4, totalSteps: 10 })).toMatchObject({
      saved: null,
      lastSave: { step: 4, totalSteps: 10 },
    });
    expect(applyEvent(INITIAL, { type: 'saveFailed', message: 'disk full' }).saveError).toBe('disk full');
  });

  it('reading progress names the chosen file, and ends when all is read', () => {
    const withTable = { ...INITIAL, table: { file: 'r.csv' } as never };
    expect(applyEvent(withTable, { type: 'reading', read: 10, total: 40 }).reading).toEqual({
      file: 'r.csv',
      read: 10,
      total: 40,
    });
    expect(applyEvent(withTable, { type: 'reading', read: 40, total: 40 }).reading).toBeNull();
  });

  it('collects the learning-rate finder’s points, and a download’s progress', () => {
    let s = applyEvent(INITIAL, { type: 'lrPoint', point: { lr: 1e-5, loss: 1 } as never });
    s = applyEvent(s, { type: 'lrPoint', point: { lr: 1e-4, loss: 0.9 } as never });
    expect(s.lrFinder).toEqual({
      points: [
        { lr: 1e-5, loss: 1 },
        { lr: 1e-4, loss: 0.9 },
      ],
      result: null,
    });
    expect(
      applyEvent(INITIAL, { type: 'download', file: 'model.safetensors', loaded: 5, total: 9 }).download,
    ).toEqual({
      file: 'model.safetensors',
      loaded: 5,
      total: 9,
    });
  });
});

describe('afterRun', () => {
  it('holds once a run has finished and none trains, not before and not while the next one trains', () => {
    const run = {} as NonNullable<typeof INITIAL.run>;
    expect(afterRun({ run: null, status: 'idle' })).toBe(false);
    expect(afterRun({ run, status: 'done' })).toBe(true);
    expect(afterRun({ run, status: 'running' })).toBe(false);
    expect(afterRun({ run, status: 'paused' })).toBe(false);
  });
});

describe('stepsFold', () => {
  it('folds the steps while anything trains and after a run, and opens them before the first and after a finder', () => {
    const run = {} as NonNullable<typeof INITIAL.run>;
    expect(stepsFold({ run: null, status: 'idle' })).toBe(false);
    expect(stepsFold({ run: null, status: 'done' })).toBe(false); // the finder or a search ended without a run
    for (const status of ['running', 'paused', 'stopping'] as const) {
      expect(stepsFold({ run: null, status })).toBe(true);
      expect(stepsFold({ run, status })).toBe(true);
    }
    expect(stepsFold({ run, status: 'done' })).toBe(true);
  });
});
