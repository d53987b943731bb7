import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from './config';
import type { RunRecord } from './record';
import { modelCard } from './modelCard';

const m = (auc: number) => ({ n: 20, loss: 0.2, auc, rmse: 0.9, mae: 0.7, accuracy: null, macroF1: null });
const record: RunRecord = {
  baseModel: 'scratch',
  roles: { text: 'review', pair: null, label: 'rating' },
  trainConfig: DEFAULT_TRAIN_CONFIG,
  spec: { task: 'regression', scale: { min: 1, max: 5 }, threshold: 4, classes: [] },
  data: { file: 'f.csv', usableRows: 200, badRows: 0, train: 160, validation: 20, test: 20 },
  result: {
    reason: 'completed',
    message: 'Training completed.',
    steps: 10,
    bestStep: null,
    selectionMetric: 'auc',
    notes: [],
    baseline: { validation: m(0.5), test: m(0.5) },
    final: { validation: m(0.8), test: m(0.79) },
    history: [],
  },
  backend: 'cpu',
  createdAt: '2026-11-30T00:00:00Z',
};

describe('model card', () => {
  it('puts the classical baseline beside the fine-tuned metrics, with the verdict', () => {
    const result = {
      model: 'TF-IDF + ridge',
      features: 50,
      trainRows: 160,
      seconds: 0.2,
      validation: m(0.85),
      test: m(0.84),
    };
    const card = modelCard({ ...record, classical: { fitted: true, result } }, 1);
    expect(card).toContain('| validation, classical baseline | 20 | 0.850 |');
    expect(card).toContain('| test, classical baseline | 20 | 0.840 |');
    expect(card).toContain(
      'The classical baseline is 0.050 test AUC ahead of the fine-tuned model (0.840 against 0.790)',
    );
  });

  it('gives each AUC its interval, the notes, and the paired verdict', () => {
    const withCi = { ...m(0.8), aucCi: { low: 0.61, high: 0.99 } };
    const result = {
      model: 'TF-IDF + ridge',
      features: 50,
      trainRows: 160,
      seconds: 0.2,
      validation: m(0.85),
      test: m(0.84),
    };
    const note = 'The fine-tuned model never beat the untrained one on validation AUC: …';
    const card = modelCard(
      {
        ...record,
        result: { ...record.result!, notes: [note], final: { validation: withCi, test: m(0.79) } },
        classical: { fitted: true, result },
        comparison: {
          split: 'test',
          n: 20,
          positives: 8,
          negatives: 12,
          a: 0.79,
          b: 0.84,
          difference: -0.05,
          low: -0.2,
          high: 0.1,
        },
      },
      1,
    );
    expect(card).toContain('| split | n | AUC (95 % interval) |');
    expect(card).toContain('| validation, after | 20 | 0.800 (0.610–0.990) |');
    expect(card).toContain(`- ${note}`);
    expect(card).toContain(
      'The fine-tuned model and the classical baseline are not distinguishable on 20 test rows',
    );
  });

  it('says why there is no baseline, and cards of older records have none', () => {
    expect(
      modelCard({ ...record, classical: { fitted: false, reason: 'turned off in the settings' } }, 1),
    ).toContain('No classical baseline: turned off in the settings.');
    expect(modelCard(record, 1)).not.toMatch(/classical/i);
  });
});
