import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bestF1Threshold, f1At, multiLabelMetrics } from './multiLabel';

// scripts/reference/multilabel_golden.py: scikit-learn's roc_auc_score, average_precision_score and f1_score.
const golden = JSON.parse(
  readFileSync(new URL('../../../test-fixtures/multilabel/golden.json', import.meta.url), 'utf8'),
) as {
  metrics: {
    truth: number[][];
    probs: number[][];
    thresholds: number[];
    auc: number[];
    ap: number[];
    f1: number[];
    macroAuc: number;
    microAuc: number;
  };
};

describe('multiLabelMetrics', () => {
  const g = golden.metrics;
  const names = ['recommended', 'dresses', 'tops'];
  const m = multiLabelMetrics(names, g.truth, g.probs, g.thresholds);

  it('per label: AUC, average precision and F1 at its threshold equal scikit-learn’s', () => {
    names.forEach((name, k) => {
      const l = m.per_label[name]!;
      expect(l.auc).toBeCloseTo(g.auc[k]!, 12);
      expect(l.ap).toBeCloseTo(g.ap[k]!, 12);
      expect(l.f1).toBeCloseTo(g.f1[k]!, 12);
      expect(l.threshold).toBe(g.thresholds[k]);
      const [low, high] = l.auc_95_interval!;
      expect(low).toBeLessThan(l.auc!);
      expect(high).toBeGreaterThan(l.auc!);
    });
  });

  it('macro and micro AUC equal scikit-learn’s', () => {
    expect(m.macro_auc).toBeCloseTo(g.macroAuc, 12);
    expect(m.micro_auc).toBeCloseTo(g.microAuc, 12);
  });

  it('chooses each label’s threshold by its best F1 when none is given (validation), and test uses it as given', () => {
    const chosen = multiLabelMetrics(names, g.truth, g.probs);
    names.forEach((name, k) => {
      const positive = g.truth.map((r) => r[k] === 1);
      const probs = g.probs.map((r) => r[k]!);
      const l = chosen.per_label[name]!;
      expect(l.f1).toBeCloseTo(f1At(positive, probs, l.threshold), 12);
      for (const t of new Set(probs)) expect(f1At(positive, probs, t)).toBeLessThanOrEqual(l.f1 + 1e-12);
    });
  });

  it('a label without both classes has no AUC and is left out of the macro mean', () => {
    const r = multiLabelMetrics(
      ['a', 'never'],
      [
        [1, 0],
        [0, 0],
        [1, 0],
      ],
      [
        [0.9, 0.2],
        [0.1, 0.3],
        [0.7, 0.1],
      ],
    );
    expect(r.per_label['never']!.auc).toBeNull();
    expect(r.per_label['never']!.ap).toBeNull();
    expect(r.macro_auc).toBe(1);
  });
});

describe('bestF1Threshold', () => {
  it('calls tied rows together and prefers the higher threshold on equal F1', () => {
    // ≥ 0.8 calls rows 0 and 1 (one right): F1 2/4; ≥ 0.3 calls all three, both positives: F1 4/5.
    expect(bestF1Threshold([true, false, true], [0.8, 0.8, 0.3])).toEqual({ threshold: 0.3, f1: 0.8 });
    expect(bestF1Threshold([true, false], [0.9, 0.1])).toEqual({ threshold: 0.9, f1: 1 });
  });

  it('with no positive row gives 0.5 and F1 0', () => {
    expect(bestF1Threshold([false, false], [0.2, 0.7])).toEqual({ threshold: 0.5, f1: 0 });
  });
});
