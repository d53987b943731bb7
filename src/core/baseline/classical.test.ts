import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvBytes } from '../data/csv';
import { buildDataset, exampleText, type Example } from '../data/dataset';
import { makeLabelSpec, predictionOf, targetOf, type Task } from '../data/labels';
import { auc } from '../metrics/metrics';
import {
  classicalComparison,
  classicalOutcome,
  classicalOutputs,
  describeOutcome,
  fitClassicalModel,
  LOGISTIC_C,
  runClassical,
} from './classical';
import { fitLogistic } from './linear';
import { fitTransformTfidf, transformTfidf } from './tfidf';

// Goldens: scikit-learn's TfidfVectorizer + Ridge / LogisticRegression on 1,000 real reviews
// (scripts/reference/baseline_golden.py). Split: 700 train, 150 validation, 150 test, in file order.
const DIR = 'test-fixtures/baseline';
const golden = JSON.parse(readFileSync(`${DIR}/golden.json`, 'utf8')) as {
  features: number;
  idf: Record<string, number>;
  firstValidationRow: Record<string, number>;
  regression: { validation: number[]; auc: number; testAuc: number };
  binary: { validation: number[]; auc: number; testAuc: number };
  classification: { classes: number[]; validationProbabilities: number[][]; auc: number; testAuc: number };
};
const file = `${DIR}/reviews.csv`;
const { examples } = buildDataset(
  readCsvBytes(readFileSync(file), file),
  {
    text: 'Review Text',
    pair: 'Title',
    label: 'Rating',
  },
  file,
);
const split = {
  train: examples.slice(0, 700),
  validation: examples.slice(700, 850),
  test: examples.slice(850),
};
const specFor = (task: Task) =>
  makeLabelSpec(
    task,
    examples.map((e) => e.rating),
    { threshold: 4 },
  );
const positive = (rows: readonly Example[]) => rows.map((e) => e.rating >= 4);

describe('TF-IDF features', () => {
  it("match scikit-learn's TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)", () => {
    const { tfidf } = fitTransformTfidf(split.train.map(exampleText));
    expect(examples).toHaveLength(1000);
    expect(tfidf.idf.length).toBe(golden.features);
    for (const [term, idf] of Object.entries(golden.idf)) {
      expect(tfidf.idf[tfidf.vocabulary.get(term)!], term).toBeCloseTo(idf, 12);
    }
    const row = transformTfidf(tfidf, [exampleText(split.validation[0]!)]);
    const terms = [...tfidf.vocabulary.keys()];
    const got = Object.fromEntries(Array.from(row.indices, (c, i) => [terms[c], row.values[i]]));
    expect(Object.keys(got).sort()).toEqual(Object.keys(golden.firstValidationRow).sort());
    for (const [term, v] of Object.entries(golden.firstValidationRow))
      expect(got[term], term).toBeCloseTo(v, 12);
  });

  it("tokenizes as scikit-learn's (?u)\\b\\w\\w+\\b: words of two or more letters, digits or _, lowercased, then bigrams", () => {
    const { tfidf } = fitTransformTfidf(["It's a MUST-have, size 0p — 100% café_au lait!"], {
      maxN: 2,
      minDf: 1,
    });
    expect([...tfidf.vocabulary.keys()].sort()).toEqual(
      [
        'it',
        'must',
        'have',
        'size',
        '0p',
        '100',
        'café_au',
        'lait',
        'it must',
        'must have',
        'have size',
        'size 0p',
        '0p 100',
        '100 café_au',
        'café_au lait',
      ].sort(),
    );
  });

  it('counts repeats as 1 + ln tf, and a word it never saw ends a word pair', () => {
    const { tfidf, x } = fitTransformTfidf(['fit fit fit', 'true fit'], { maxN: 2, minDf: 1 });
    const value = (term: string) => {
      const col = tfidf.vocabulary.get(term)!;
      return x.values[Array.from(x.indices.subarray(0, x.indptr[1])).indexOf(col)]!;
    };
    const idf = (term: string) => tfidf.idf[tfidf.vocabulary.get(term)!]!;
    expect(value('fit') / value('fit fit')).toBeCloseTo(
      ((1 + Math.log(3)) * idf('fit')) / ((1 + Math.log(2)) * idf('fit fit')),
      12,
    );
    const row = transformTfidf(tfidf, ['true never fit']);
    const cols = Array.from(row.indices).map((c) => [...tfidf.vocabulary.keys()][c]);
    expect(cols.sort()).toEqual(['fit', 'true']); // no "true fit": "never" stands between them
  });
});

describe('classical baseline against scikit-learn', () => {
  it('ridge regression gives the same predictions and validation AUC', () => {
    const spec = specFor('regression');
    const out = classicalOutputs(fitClassicalModel(spec, split.train), split.validation).map((o) => o[0]!);
    out.forEach((v, i) => expect(v).toBeCloseTo(golden.regression.validation[i]!, 6));
    expect(auc(positive(split.validation), out)!).toBeCloseTo(golden.regression.auc, 3);
  });

  // The product stops where scikit-learn's default tol would; solved tightly it must land on scikit-learn's
  // optimum, within how far scikit-learn itself converged (its lbfgs stopped with gradient entries up to 1e-4).
  const tight = (task: 'binary' | 'classification') => {
    const spec = specFor(task);
    const { tfidf, x } = fitTransformTfidf(split.train.map(exampleText));
    const targets = Int32Array.from(split.train, (e) => targetOf(spec, e.rating));
    const linear = fitLogistic(x, targets, task === 'binary' ? 1 : 5, LOGISTIC_C, {
      gradientTolerance: 1e-9,
      relativeDecrease: 0,
    });
    return { spec, outputs: classicalOutputs({ tfidf, linear, description: '' }, split.validation) };
  };

  it('binary logistic regression finds the same optimum: logits and validation AUC', () => {
    const out = tight('binary').outputs.map((o) => o[0]!);
    out.forEach((v, i) => expect(v).toBeCloseTo(golden.binary.validation[i]!, 4));
    expect(auc(positive(split.validation), out)!).toBeCloseTo(golden.binary.auc, 6);
  });

  it('multinomial logistic regression finds the same optimum: class probabilities', () => {
    const { spec, outputs } = tight('classification');
    expect(spec.classes).toEqual(golden.classification.classes);
    outputs.forEach((o, i) =>
      predictionOf(spec, o).probabilities!.forEach((v, k) =>
        expect(v).toBeCloseTo(golden.classification.validationProbabilities[i]![k]!, 4),
      ),
    );
  });

  it.each(['regression', 'binary', 'classification'] as const)(
    '%s: validation and test AUC within 0.005 of scikit-learn, scored as the BERT is',
    async (task) => {
      const r = await runClassical(specFor(task), split);
      expect(Math.abs(r.validation.auc! - golden[task].auc)).toBeLessThan(0.005);
      expect(Math.abs(r.test!.auc! - golden[task].testAuc)).toBeLessThan(0.005);
      expect(r.features).toBe(golden.features);
      expect(r.trainRows).toBe(700);
      expect(r.validation.n).toBe(150);
    },
  );
});

describe('classical baseline on data it cannot use', () => {
  it('says so when no term occurs in two training texts', () => {
    const few = split.train
      .slice(0, 2)
      .map((e, i) => ({ ...e, text: ['alpha beta', 'gamma delta'][i]!, pair: null }));
    expect(() => fitClassicalModel(specFor('regression'), few)).toThrow(
      /No word or word pair occurs in 2 or more of the 2 training texts/,
    );
  });

  it('scores a text with no known word by the intercept alone', () => {
    const spec = specFor('regression');
    const model = fitClassicalModel(spec, split.train);
    const [out] = classicalOutputs(model, [{ ...split.train[0]!, text: 'qqqq zzzz', pair: null }]);
    expect(out![0]).toBeCloseTo(model.linear.intercepts[0]!, 12);
  });
});

describe('classical outcome and verdict', () => {
  const m = (auc: number | null) => ({
    n: 10,
    loss: 0.1,
    auc,
    rmse: null,
    mae: null,
    accuracy: null,
    macroF1: null,
  });
  const fitted = (validation: number | null, test: number | null) => ({
    fitted: true as const,
    result: {
      model: 'm',
      features: 3,
      trainRows: 8,
      seconds: 0.1,
      validation: m(validation),
      test: test === null ? null : m(test),
    },
  });

  it('is skipped with a reason when turned off, and when the data gives it no features', async () => {
    const spec = specFor('regression');
    expect(await classicalOutcome(spec, split, false)).toEqual({
      fitted: false,
      reason: 'turned off in the settings',
    });
    const few = split.train.slice(0, 3).map((e, i) => ({ ...e, text: `lone${i}word`, pair: null }));
    const outcome = await classicalOutcome(spec, { ...split, train: few }, true);
    expect(outcome.fitted).toBe(false);
    expect(describeOutcome(outcome)).toMatch(/^Classical baseline skipped: No word or word pair occurs/);
  });

  it('compares on the test split when both have one, else on validation', () => {
    expect(classicalComparison({ validation: m(0.8), test: m(0.9) }, fitted(0.85, 0.88))).toBe(
      'The fine-tuned model beats the classical baseline by 0.020 test AUC (0.900 against 0.880).',
    );
    expect(classicalComparison({ validation: m(0.8), test: null }, fitted(0.85, null))).toMatch(
      /^The classical baseline is 0\.050 validation AUC ahead of the fine-tuned model \(0\.850 against 0\.800\)/,
    );
    expect(classicalComparison({ validation: m(null), test: null }, fitted(0.85, null))).toBeNull();
    expect(
      classicalComparison({ validation: m(0.8), test: null }, { fitted: false, reason: 'turned off' }),
    ).toBe('No classical baseline: turned off.');
  });
});
