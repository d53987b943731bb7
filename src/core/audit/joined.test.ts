import { describe, expect, it } from 'vitest';
import type { Example } from '../data/dataset';
import { makeLabelSpec } from '../data/labels';
import { auditFromOutputs } from './audit';
import { joinModel, modelJoinsAudit } from './joined';
import { withModelFolds } from './modelFolds';
import { beforeAndAfter, describeBeforeAndAfter } from './beforeAfter';

const ex = (line: number, rating: number): Example => ({ line, text: `t${line}`, pair: null, rating });

describe('joinModel', () => {
  const examples = [ex(2, 1), ex(3, 5), ex(4, 4), ex(5, 2), ex(6, 5), ex(7, 3)];
  const spec = makeLabelSpec(
    'regression',
    examples.map((e) => e.rating),
  );
  // The classical model thinks line 2 a 3 (a weak doubt); the fine-tuned model thinks it a 5.
  const classical = {
    ...auditFromOutputs(spec, examples, [[0.5], [0.95], [0.7], [0.3], [0.9], [0.55]]),
    method: 'c',
    folds: 5,
    seconds: 0,
  };

  it('averages the model’s held-out predictions into those rows, and ranks again', () => {
    const joined = joinModel(spec, examples, classical, new Map([[2, 5]]));
    const row = joined.rows.find((r) => r.line === 2)!;
    expect(row.predicted).toBeCloseTo((3 + 5) / 2, 10);
    expect(joined.rows[0]!.line).toBe(2);
    expect(joined.method).toBe("c, averaged with the fine-tuned model's predictions on 1 held-out rows");
    // Rows the model did not hold out keep the classical prediction.
    expect(joined.rows.find((r) => r.line === 3)!.predicted).toBeCloseTo(4.8, 10);
  });

  it('joins only a model at least as good as the baseline, and not for classes', () => {
    const c = {
      n: 10,
      positives: 5,
      negatives: 5,
      a: 0.8,
      b: 0.7,
      difference: 0.1,
      low: -0.1,
      high: 0.3,
      split: 'test' as const,
    };
    expect(modelJoinsAudit(spec, c)).toBe(true);
    expect(modelJoinsAudit(spec, { ...c, difference: -0.01 })).toBe(false);
    expect(modelJoinsAudit(spec, null)).toBe(false);
    expect(modelJoinsAudit({ ...spec, task: 'classification', classes: [1, 2, 3, 4, 5] }, c)).toBe(false);
  });
});

describe('beforeAndAfter', () => {
  const scored = (scores: number[]) =>
    scores.map((s, i) => ({
      line: i + 2,
      text: `t${i}`,
      rating: i % 2 === 0 ? 5 : 1,
      score: s,
      rankScore: s,
    }));
  const before = { split: 'test' as const, examples: scored([4, 2, 3, 3.5, 2, 1, 4.5, 2.5]) };
  const after = { split: 'test' as const, examples: scored([4.5, 1.5, 4, 2, 3, 1, 4.8, 1.2]) };

  it('pairs the same test rows, after against before', () => {
    const c = beforeAndAfter(before, after, 4)!;
    expect(c.n).toBe(8);
    expect(c.a).toBe(1);
    expect(c.b).toBeLessThan(1);
    expect(describeBeforeAndAfter(c)).toMatch(
      /^Against the run before: test AUC 1\.000 against 0\.\d{3} \(difference \+0\.\d{3}, 95 % interval .* paired on the same 8 test rows\) — /,
    );
  });

  it('compares nothing when the rows or their ratings differ', () => {
    expect(beforeAndAfter(before, { ...after, examples: after.examples.slice(1) }, 4)).toBeNull();
    expect(beforeAndAfter(before, { ...after, split: 'validation' }, 4)).toBeNull();
    const moved = after.examples.map((e, i) => (i === 0 ? { ...e, line: 99 } : e));
    expect(beforeAndAfter(before, { ...after, examples: moved }, 4)).toBeNull();
    const relabelled = after.examples.map((e, i) => (i === 0 ? { ...e, rating: 1 } : e));
    expect(beforeAndAfter(before, { ...after, examples: relabelled }, 4)).toBeNull();
  });
});

describe('withModelFolds', () => {
  const examples = Array.from({ length: 40 }, (_, i) => ex(i + 2, i % 2 === 0 ? 5 : 1));
  const spec = makeLabelSpec(
    'regression',
    examples.map((e) => e.rating),
  );
  // The classical model half right; a fine-tuned model that ranks every row right, or every row wrong.
  const classical = {
    ...auditFromOutputs(
      spec,
      examples,
      examples.map((e, i) => [i < 20 ? (e.rating === 5 ? 0.8 : 0.2) : 0.5 + (i % 3) * 0.1]),
    ),
    method: 'c',
    folds: 5,
    seconds: 1,
  };

  it('averages the model in where its out-of-sample AUC is at least the classical one, and says so', () => {
    const good = { scores: examples.map((e) => (e.rating === 5 ? 4.9 : 1.1)), seconds: 2 };
    const { result, comparison, note } = withModelFolds(spec, examples, classical, good);
    expect(comparison!.a).toBe(1);
    expect(note).toMatch(
      /^The fine-tuned model's out-of-sample AUC 1\.000 against the classical model's 0\.\d{3} .*: both models' predictions are averaged\.$/,
    );
    expect(result.method).toBe("c, averaged with the fine-tuned model's predictions on 40 held-out rows");
    expect(result.seconds).toBe(3);
  });

  it('keeps the classical audit when the model ranks worse', () => {
    const bad = { scores: examples.map((e) => (e.rating === 5 ? 1.1 : 4.9)), seconds: 2 };
    const { result, note } = withModelFolds(spec, examples, classical, bad);
    expect(result).toBe(classical);
    expect(note).toMatch(/: the classical audit stands\.$/);
  });
});
