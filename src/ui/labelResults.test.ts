import { describe, expect, it } from 'vitest';
import { multiLabelSpec } from '../core/data/labels';
import type { EvalMetrics } from '../core/train/evaluate';
import { labelProbabilities, labelResultRows, labelSplit, outcomeLine } from './labelResults';

const split = (auc: number): EvalMetrics => ({
  n: 40,
  loss: 0.4,
  auc,
  rmse: null,
  mae: null,
  accuracy: null,
  macroF1: 0.7,
  per_label: {
    dress: { auc, auc_95_interval: [0.75, 0.95], ap: 0.8, f1: 0.75, threshold: 0.4 },
    sizing: { auc: null, auc_95_interval: null, ap: null, f1: 0, threshold: 0.5 },
  },
  macro_auc: auc,
  micro_auc: 0.8,
});
const paired = (low: number, high: number) => ({
  n: 40,
  positives: 10,
  negatives: 30,
  a: 0.9,
  b: 0.8,
  difference: 0.1,
  low,
  high,
});
const run = {
  message: 'Training completed.',
  spec: multiLabelSpec(['dress', 'sizing']),
  final: { validation: split(0.8), test: split(0.9) },
  classical: {
    fitted: true as const,
    result: { model: 'm', features: 1, trainRows: 1, seconds: 0, validation: split(0.7), test: split(0.85) },
  },
  comparison: {
    split: 'test' as const,
    ...paired(-0.02, 0.1),
    perLabel: { dress: paired(0.01, 0.2), sizing: null },
  },
  data: { usable: 100, badRows: [], train: 80, validation: 10, test: 10, labelChanges: null },
  selectionMetric: 'auc' as const,
};

describe('the Results per label (multi-label)', () => {
  it('gives each label’s test metrics, the baseline’s AUC and the paired verdict', () => {
    expect(labelSplit(run)).toBe('test');
    expect(labelResultRows(run)).toEqual([
      {
        label: 'dress',
        auc: 0.9,
        interval: [0.75, 0.95],
        ap: 0.8,
        f1: 0.75,
        threshold: 0.4,
        classicalAuc: 0.85,
        verdict: 'fine-tuned ahead',
      },
      {
        label: 'sizing',
        auc: null,
        interval: null,
        ap: null,
        f1: 0,
        threshold: 0.5,
        classicalAuc: null,
        verdict: '',
      },
    ]);
  });

  it('uses validation without a test split, and is empty for a rating task', () => {
    const noTest = { ...run, final: { validation: split(0.8), test: null } };
    expect(labelSplit(noTest)).toBe('validation');
    expect(labelResultRows(noTest)[0]!.auc).toBe(0.8);
    expect(
      labelResultRows({
        ...run,
        spec: { task: 'regression', scale: { min: 1, max: 5 }, threshold: 4, classes: [] },
      }),
    ).toEqual([]);
  });

  it('says what a multi-label run predicts instead of a rating threshold', () => {
    expect(outcomeLine(run)).toBe(
      'Training completed. 2 labels (dress, sizing), each with its own AUC; the AUC is their mean (macro). Data: 80 train / 10 validation / 10 test; 0 unusable row(s). Best weights chosen by validation macro AUC.',
    );
    expect(
      outcomeLine({ ...run, spec: { task: 'binary', scale: { min: 1, max: 5 }, threshold: 4, classes: [] } }),
    ).toContain('Positive = rating ≥ 4 on a 1–5 scale. Data:');
  });

  it('writes each label’s probability for Try it', () => {
    expect(labelProbabilities([0.9123, 0.4], ['dress', 'liked'])).toBe('P(dress) 0.912, P(liked) 0.400');
  });
});
