import { describe, expect, it } from 'vitest';
import type { ProgressPoint } from '../core/train/progress';
import type { EvalPoint } from '../core/train/evaluate';
import {
  classicalReference,
  lossSeries,
  MAX_CHART_POINTS,
  progressTitle,
  seriesLabels,
  validationSeries,
} from './series';

const p = (step: number, loss: number): ProgressPoint => ({
  step,
  loss,
  totalSteps: 10,
  epoch: step / 10,
  learningRate: 0,
  examplesPerSecond: 1,
  etaSeconds: 0,
});

describe('chart series', () => {
  it('lossSeries pools a long run into at most MAX_CHART_POINTS points, keeping the last step, the means and the moving average', () => {
    const long = Array.from({ length: 10_000 }, (_, i) => p(i + 1, i + 1)); // loss = step
    const s = lossSeries(long);
    expect(s.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(s.length).toBeGreaterThan(MAX_CHART_POINTS / 2);
    expect(s.at(-1)!.step).toBe(10_000);
    // Each row pools the steps after the previous row's through its own: their mean loss is their middle step.
    s.forEach((r, k) => expect(r.loss).toBeCloseTo(((k === 0 ? 0 : s[k - 1]!.step) + 1 + r.step) / 2, 9));
    const full = lossSeries(long, Infinity);
    expect(full).toHaveLength(10_000);
    expect(s.at(-1)!.smoothed).toBe(full.at(-1)!.smoothed);
    expect(lossSeries(long.slice(0, 600))).toHaveLength(600); // short runs keep every step
  });

  it('lossSeries drops non-finite losses and smooths the rest', () => {
    const s = lossSeries([p(1, 2), p(2, NaN), p(3, 2)]);
    expect(s.map((r) => r.step)).toEqual([1, 3]);
    expect(s[1]!.smoothed).toBeCloseTo(2, 12);
  });
  it('validationSeries keeps validation points before the final evaluation', () => {
    const e = (step: number, split: 'validation' | 'test', phase: EvalPoint['phase']) =>
      ({
        step,
        split,
        phase,
        auc: 0.5,
        loss: 1,
        n: 1,
        epoch: 0,
        rmse: null,
        mae: null,
        accuracy: null,
        macroF1: null,
      }) as EvalPoint;
    expect(
      validationSeries([
        e(0, 'validation', 'baseline'),
        e(0, 'test', 'baseline'),
        e(5, 'validation', 'training'),
        e(5, 'validation', 'final'),
      ]).map((r) => r.step),
    ).toEqual([0, 5]);
    // Multi-label: each label's AUC beside the macro AUC, and the labels in their order.
    const label = (auc: number | null) => ({ auc, auc_95_interval: null, ap: null, f1: 0, threshold: 0.5 });
    const multi = { ...e(3, 'validation', 'training'), per_label: { dress: label(0.7), liked: label(null) } };
    expect(validationSeries([multi])[0]!.labels).toEqual({ dress: 0.7, liked: null });
    expect(seriesLabels([e(0, 'validation', 'baseline'), multi])).toEqual(['dress', 'liked']);
    expect(seriesLabels([e(0, 'validation', 'baseline')])).toEqual([]);
  });
  it('progressTitle', () => {
    expect(progressTitle({ ...p(5, 1), totalSteps: 20 }, 'running')).toBe('25% — TabTune');
    expect(progressTitle({ ...p(5, 1), totalSteps: 20 }, 'paused')).toBe('25% (paused) — TabTune');
    expect(progressTitle(undefined, 'idle')).toBe('TabTune');
  });
});

describe('classicalReference', () => {
  const m = { n: 10, loss: 0.1, auc: 0.91234, rmse: null, mae: null, accuracy: null, macroF1: null };
  it("is the baseline's validation AUC, labelled; nothing when there is none", () => {
    const result = { model: 'm', features: 3, trainRows: 8, seconds: 0.1, validation: m, test: null };
    expect(classicalReference({ fitted: true, result })).toEqual({
      auc: 0.91234,
      label: 'TF-IDF baseline 0.912',
    });
    expect(
      classicalReference({ fitted: true, result: { ...result, validation: { ...m, auc: null } } }),
    ).toBeNull();
    expect(classicalReference({ fitted: false, reason: 'off' })).toBeNull();
    expect(classicalReference(null)).toBeNull();
  });
});
