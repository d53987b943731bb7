import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../shared/protocol';
import { evaluationsCsv, lossCsv, metricsJson, predictionsCsv } from './exports';

const m = { n: 2, loss: 0.1, auc: 0.75, rmse: 1, mae: 0.5, accuracy: null, macroF1: null };
const run: RunSummary = {
  reason: 'completed',
  message: 'Training completed.',
  steps: 3,
  bestStep: null,
  selectionMetric: 'auc',
  notes: [],
  exportNote: null,
  search: null,
  comparison: null,
  spec: { task: 'regression', scale: { min: 1, max: 5 }, threshold: 4, classes: [] },
  roles: { text: 'review', pair: null, label: 'rating' },
  baseline: { validation: m, test: m },
  final: { validation: m, test: m },
  classical: { fitted: false, reason: 'turned off in the settings' },
  slices: null,
  data: {
    usable: 10,
    badRows: [{ line: 3, reason: 'empty text in "review"' }],
    train: 8,
    validation: 1,
    labelChanges: null,
    test: 1,
  },
  scored: {
    split: 'test',
    examples: [{ line: 7, text: 'fine, "really"', rating: 4, score: 3.5, rankScore: 3.5 }],
  },
};

describe('export builders', () => {
  it('predictions CSV quotes text and keeps the line', () => {
    expect(predictionsCsv(run)).toBe('line,text,rating,score,rank_score\n7,"fine, ""really""",4,3.5,3.5\n');
  });
  it('metrics JSON has the summary and evaluations, not the scored rows', () => {
    const j = JSON.parse(metricsJson(run, []));
    expect(j.final.test.auc).toBe(0.75);
    expect(j.scored).toBeUndefined();
    expect(j.evaluations).toEqual([]);
  });
  it('chart CSVs', () => {
    expect(
      lossCsv([
        {
          step: 1,
          totalSteps: 2,
          epoch: 0.5,
          loss: 0.3,
          learningRate: 1e-4,
          examplesPerSecond: 1,
          etaSeconds: 1,
        },
      ]),
    ).toBe('step,epoch,loss,learning_rate\n1,0.5,0.3,0.0001\n');
    expect(evaluationsCsv([{ ...m, step: 0, epoch: 0, split: 'validation', phase: 'baseline' }])).toBe(
      'step,split,phase,loss,auc,rmse,mae,accuracy\n0,validation,baseline,0.1,0.75,1,0.5,\n',
    );
  });
});
