import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvBytes } from '../data/csv';
import { buildDataset, exampleText, type Example } from '../data/dataset';
import { makeLabelSpec, predictionOf, targetOf, type Task } from '../data/labels';
import { auc } from '../metrics/metrics';
import {
  classicalComparison,
  classicalOutcome,
  compareWithClassical,
  classicalOutputs,
  describeOutcome,
  fitClassicalModel,
  LOGISTIC_C,
  runClassical,
} from './classical';
import { fitLogistic } from './linearModels';
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

  it('says "ahead" only when the paired interval of the difference excludes 0, else "not distinguishable"', () => {
    // 40 rows, 20 positive: a ranks them well; b is a with a little noise (near), or scores without signal (far).
    const positive = Array.from({ length: 40 }, (_, i) => i < 20);
    const a = positive.map((p, i) => (p ? 0.4 : 0) + ((i * 37) % 40) / 40);
    const rows = (n: number) =>
      positive.slice(0, n).map((p, i) => ({ line: i + 2, text: 't', pair: null, rating: p ? 5 : 1 }));
    const spec = specFor('regression');
    const outcome = (b: number[]) =>
      ({
        fitted: true,
        result: { ...fitted(0.5, 0.5).result, scores: { validation: b, test: b } },
      }) as const;
    const compare = (b: number[]) =>
      compareWithClassical(
        spec,
        { validation: rows(40), test: rows(40) },
        { validation: a, test: a },
        outcome(b),
      );
    const far = compare(a.map((_, i) => ((i * 53) % 40) / 40))!;
    expect(far.split).toBe('test');
    expect(far.low).toBeGreaterThan(0);
    const farVerdict = classicalComparison({ validation: m(0.8), test: m(0.9) }, outcome([]), far)!;
    expect(farVerdict).toMatch(
      /^The fine-tuned model beats the classical baseline by 0\.\d{3} test AUC \(0\.\d{3} against 0\.\d{3}; 95 % interval of the difference 0\.\d{3} to 0\.\d{3}, paired on the same 40 test rows\)\.$/,
    );
    const near = compare(a.map((x, i) => x + ((i * 53) % 40) / 400))!;
    expect([near.low < 0, near.high > 0]).toEqual([true, true]);
    expect(classicalComparison({ validation: m(0.8), test: m(0.9) }, outcome([]), near)).toMatch(
      /^The fine-tuned model and the classical baseline are not distinguishable on 40 test rows: AUC 0\.\d{3} against 0\.\d{3} \(95 % interval of the difference −0\.\d{3} to 0\.\d{3}, paired on the same 40 test rows, which contains 0\)/,
    );
    const behind = {
      ...far,
      a: far.b,
      b: far.a,
      difference: -far.difference,
      low: -far.high,
      high: -far.low,
    };
    expect(classicalComparison({ validation: m(0.8), test: m(0.9) }, outcome([]), behind)).toMatch(
      /^The classical baseline is 0\.\d{3} test AUC ahead of the fine-tuned model \(0\.\d{3} against 0\.\d{3}; 95 % interval of the difference −0\.\d{3} to −0\.\d{3}, .*so it is the better model/,
    );
    // Without row scores (an older record) there is no comparison; with a split of one class, neither.
    expect(
      compareWithClassical(
        spec,
        { validation: rows(40), test: rows(40) },
        { validation: a, test: a },
        fitted(0.5, 0.5),
      ),
    ).toBeNull();
    expect(
      compareWithClassical(
        spec,
        { validation: rows(10), test: [] },
        { validation: a.slice(0, 10), test: null },
        outcome(a.slice(0, 10)),
      ),
    ).toBeNull();
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
