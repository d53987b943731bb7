import * as tf from '@tensorflow/tfjs';
import { exampleText, groupsOf, type Example } from '../data/dataset';
import { exampleTarget, numLabels, targetOf, type LabelSpec } from '../data/labels';
import { TabTuneError } from '../errors';
import { pairedAucDifference, type PairedAuc } from '../metrics/interval';
import {
  labelScoresOf,
  labelThresholds,
  rankScoresOf,
  splitMetrics,
  type EvalMetrics,
  type RowScores,
} from '../train/evaluate';
import { targetTensor, taskLoss } from '../train/loss';
import { fitLogistic, fitRidge, linearOutputs, type LinearModel } from './linearModels';
import { fitTransformTfidf, TFIDF_SETTINGS, transformTfidf, type Tfidf } from './tfidf';

/**
 * The classical baseline a fine-tuned BERT must beat: TF-IDF over word unigrams and bigrams feeding an
 * L2-regularised linear model — ridge for regression, logistic regression for binary and classification —
 * fitted on the training split in seconds and scored on the same validation and test rows as the BERT, by
 * the same metrics (`computeMetrics`). Equal to scikit-learn with these settings (`classical.test.ts`).
 */
export const RIDGE_ALPHA = 1;
export const LOGISTIC_C = 1;

export interface ClassicalResult {
  /** What was fitted, in words, for the Results table and the logs. */
  model: string;
  features: number;
  trainRows: number;
  seconds: number;
  validation: EvalMetrics;
  test: EvalMetrics | null;
  /** Its score of each validation and test row, for the paired comparison (absent in older records). */
  scores?: RowScores;
}

/** What a run did about the baseline: fitted it, or why not (turned off, or the data gives it no features). */
export type ClassicalOutcome = { fitted: true; result: ClassicalResult } | { fitted: false; reason: string };

/** A fitted baseline: raw outputs in the form the BERT head gives them (scaled rating, logit or logits). */
export interface ClassicalModel {
  tfidf: Tfidf;
  linear: LinearModel;
  description: string;
}

export function describeClassical(spec: LabelSpec): string {
  const words = `TF-IDF (word 1–${TFIDF_SETTINGS.maxN}-grams, min df ${TFIDF_SETTINGS.minDf}, sublinear tf)`;
  if (spec.task === 'regression') return `${words} + ridge (α = ${RIDGE_ALPHA})`;
  const kind =
    spec.task === 'classification' ? ', multinomial' : spec.task === 'multi-label' ? ', one per label' : '';
  return `${words} + logistic regression (C = ${LOGISTIC_C}${kind})`;
}

export function fitClassicalModel(spec: LabelSpec, train: readonly Example[]): ClassicalModel {
  const { tfidf, x } = fitTransformTfidf(train.map(exampleText));
  if (tfidf.idf.length === 0) {
    throw new TabTuneError(
      'data',
      `No word or word pair occurs in ${TFIDF_SETTINGS.minDf} or more of the ${train.length} training texts, so the classical baseline has no features. Add more rows to compare against it.`,
    );
  }
  if (spec.task === 'multi-label') {
    const labels = spec.labels ?? [];
    const perLabel = labels.map((name) =>
      fitLogistic(x, Int32Array.from(train.map((e) => (e.tags?.includes(name) ? 1 : 0))), 1, LOGISTIC_C),
    );
    return { tfidf, linear: stackLabels(perLabel, x.cols), description: describeClassical(spec) };
  }
  const targets = train.map((e) => targetOf(spec, e.rating));
  const linear =
    spec.task === 'regression'
      ? fitRidge(x, Float64Array.from(targets), RIDGE_ALPHA)
      : fitLogistic(x, Int32Array.from(targets), numLabels(spec), LOGISTIC_C);
  return { tfidf, linear, description: describeClassical(spec) };
}

/** One-vs-rest: one binary logistic model per label (one output each) as one model with an output per label. */
function stackLabels(models: readonly LinearModel[], cols: number): LinearModel {
  const k = models.length;
  const weights = new Float64Array(cols * k);
  models.forEach((m, l) => {
    for (let c = 0; c < cols; c++) weights[c * k + l] = m.weights[c] as number;
  });
  return { k, weights, intercepts: Float64Array.from(models.map((m) => m.intercepts[0] as number)) };
}

/** Raw outputs [n][numLabels], as the BERT head would give them for these examples. */
export function classicalOutputs(model: ClassicalModel, examples: readonly Example[]): number[][] {
  const k = model.linear.k;
  const flat = linearOutputs(transformTfidf(model.tfidf, examples.map(exampleText)), model.linear);
  return examples.map((_, r) => Array.from(flat.subarray(r * k, (r + 1) * k)));
}

/** The metrics of labelled examples under the baseline, the loss being the training loss of the BERT head. */
export async function classicalMetrics(
  model: ClassicalModel,
  spec: LabelSpec,
  examples: readonly Example[],
  thresholds: readonly number[] | null = null,
): Promise<{ metrics: EvalMetrics; rankScores: number[]; labelScores: number[][] | null }> {
  const outputs = classicalOutputs(model, examples);
  const lossTensor = tf.tidy(() =>
    taskLoss(
      spec.task,
      tf.tensor2d(outputs, [outputs.length, model.linear.k]),
      targetTensor(examples.map((e) => exampleTarget(spec, e))),
    ),
  );
  // Read asynchronously: a synchronous read breaks WebGPU in a Worker (the device's buffers stop mapping).
  const loss = (await lossTensor.data())[0] as number;
  lossTensor.dispose();
  return {
    metrics: splitMetrics(spec, outputs, examples, loss, groupsOf(examples), thresholds),
    rankScores: rankScoresOf(spec, outputs),
    labelScores: labelScoresOf(spec, outputs),
  };
}

/** Fit on the training rows, score validation and test (null when there is no test split). */
export async function runClassical(
  spec: LabelSpec,
  split: { train: readonly Example[]; validation: readonly Example[]; test: readonly Example[] },
): Promise<ClassicalResult> {
  const start = performance.now();
  const model = fitClassicalModel(spec, split.train);
  const validation = await classicalMetrics(model, spec, split.validation);
  const thresholds = labelThresholds(spec, validation.metrics); // multi-label: validation's, for test's F1
  const test = split.test.length > 0 ? await classicalMetrics(model, spec, split.test, thresholds) : null;
  return {
    model: model.description,
    features: model.tfidf.idf.length,
    trainRows: split.train.length,
    seconds: (performance.now() - start) / 1000,
    validation: validation.metrics,
    test: test?.metrics ?? null,
    scores: {
      validation: validation.rankScores,
      test: test?.rankScores ?? null,
      ...(validation.labelScores
        ? { labels: { validation: validation.labelScores, test: test?.labelScores ?? null } }
        : {}),
    },
  };
}

/** The baseline of a run: fitted unless turned off; data it cannot use skips it with the reason (the run goes on). */
export async function classicalOutcome(
  spec: LabelSpec,
  split: { train: readonly Example[]; validation: readonly Example[]; test: readonly Example[] },
  enabled: boolean,
): Promise<ClassicalOutcome> {
  if (!enabled) return { fitted: false, reason: 'turned off in the settings' };
  try {
    return { fitted: true, result: await runClassical(spec, split) };
  } catch (e) {
    if (e instanceof TabTuneError) return { fitted: false, reason: e.message };
    throw e;
  }
}

/** One line for logs and the CLI: "Classical baseline (TF-IDF … + ridge): validation AUC 0.912, test AUC 0.905 (2.1 s)". */
export function describeOutcome(outcome: ClassicalOutcome): string {
  if (!outcome.fitted) return `Classical baseline skipped: ${outcome.reason}`;
  const r = outcome.result;
  const fmt = (m: EvalMetrics | null) => (m?.auc == null ? 'n/a' : m.auc.toFixed(3));
  return `Classical baseline (${r.model}, ${r.features} features): validation AUC ${fmt(r.validation)}${r.test ? `, test AUC ${fmt(r.test)}` : ''} (${r.seconds.toFixed(1)} s)`;
}

/**
 * The fine-tuned model (a) against the classical baseline (b), paired on the same rows of one split. Multi-label:
 * each label's paired comparison is in `perLabel`; a, b and the difference are the macro AUCs (the means over the
 * labels measured), and low–high a conservative 95 % interval of the macro difference: the labels' standard errors
 * averaged, as if their differences were perfectly correlated (the most the mean's error can be); positives and
 * negatives are summed over the labels.
 */
export interface ModelComparison extends PairedAuc {
  split: 'test' | 'validation';
  perLabel?: Record<string, PairedAuc | null>;
}

/** Each label's paired comparison on the held-out split both models scored, and the macro AUCs. */
function compareLabels(
  spec: LabelSpec,
  rows: { validation: readonly Example[]; test: readonly Example[] },
  fineTuned: RowScores,
  baseline: RowScores,
): ModelComparison | null {
  const [a, b] = [fineTuned.labels, baseline.labels];
  if (!a || !b) return null;
  const split = rows.test.length > 0 && a.test && b.test ? 'test' : 'validation';
  const [sa, sb] = [a[split], b[split]];
  if (!sa || !sb || sa.length !== rows[split].length || sb.length !== sa.length) return null;
  const perLabel: Record<string, PairedAuc | null> = {};
  (spec.labels ?? []).forEach((name, k) => {
    perLabel[name] = pairedAucDifference(
      rows[split].map((e) => e.tags?.includes(name) ?? false),
      sa.map((r) => r[k] as number),
      sb.map((r) => r[k] as number),
    );
  });
  const measured = Object.values(perLabel).filter((p): p is PairedAuc => p !== null);
  if (measured.length === 0) return null;
  const mean = (f: (p: PairedAuc) => number) => measured.reduce((s, p) => s + f(p), 0) / measured.length;
  const difference = mean((p) => p.difference);
  const halfWidth = mean((p) => (p.high - p.low) / 2);
  return {
    split,
    n: rows[split].length,
    positives: measured.reduce((s, p) => s + p.positives, 0),
    negatives: measured.reduce((s, p) => s + p.negatives, 0),
    a: mean((p) => p.a),
    b: mean((p) => p.b),
    difference,
    low: difference - halfWidth,
    high: difference + halfWidth,
    perLabel,
  };
}

/**
 * The fine-tuned model's AUC against the baseline's on the same rows — the test split, or validation when there
 * is no test split — with DeLong's paired 95 % interval of the difference; null when the baseline was not fitted
 * or the AUC's interval is undefined (fewer than two rows of a class).
 */
export function compareWithClassical(
  spec: LabelSpec,
  rows: { validation: readonly Example[]; test: readonly Example[] },
  fineTuned: RowScores,
  outcome: ClassicalOutcome,
): ModelComparison | null {
  if (!outcome.fitted || !outcome.result.scores) return null;
  if (spec.task === 'multi-label') return compareLabels(spec, rows, fineTuned, outcome.result.scores);
  const baseline = outcome.result.scores;
  const split = rows.test.length > 0 && fineTuned.test && baseline.test ? 'test' : 'validation';
  const [a, b] = [fineTuned[split], baseline[split]];
  if (!a || !b || a.length !== rows[split].length || b.length !== a.length) return null;
  const paired = pairedAucDifference(
    rows[split].map((e) => e.rating >= spec.threshold),
    a,
    b,
  );
  return paired && { ...paired, split };
}

/**
 * The verdict the Results, the CLI and the model card show: the fine-tuned model's AUC against the baseline's,
 * on the test split (or validation when there is no test split). With the paired comparison, "ahead" is said
 * only when the difference's 95 % interval excludes 0; otherwise the two are "not distinguishable" on those rows.
 * Records from before the comparison get the plain difference. null when either AUC is undefined.
 */
export function classicalComparison(
  final: { validation: EvalMetrics; test: EvalMetrics | null },
  outcome: ClassicalOutcome,
  comparison: ModelComparison | null = null,
): string | null {
  if (!outcome.fitted) return `No classical baseline: ${outcome.reason}.`;
  if (comparison) return pairedVerdict(comparison);
  const r = outcome.result;
  const split = final.test && r.test ? 'test' : 'validation';
  const bert = final[split]?.auc;
  const classical = r[split]?.auc;
  if (bert == null || classical == null) return null;
  const [b, c, d] = [bert.toFixed(3), classical.toFixed(3), Math.abs(bert - classical).toFixed(3)];
  return bert >= classical
    ? `The fine-tuned model beats the classical baseline by ${d} ${split} AUC (${b} against ${c}).`
    : `The classical baseline is ${d} ${split} AUC ahead of the fine-tuned model (${c} against ${b}), so it is the better model for this data so far: try a pretrained checkpoint, more epochs or more rows.`;
}

const signed = (x: number) => x.toFixed(3).replace('-', '−');

function pairedVerdict(c: ModelComparison): string {
  const [b, k, d] = [signed(c.a), signed(c.b), signed(Math.abs(c.difference))];
  const auc = c.perLabel ? 'macro AUC' : 'AUC';
  const interval = `${c.perLabel ? 'conservative ' : ''}95 % interval of the difference ${signed(c.low)} to ${signed(c.high)}, paired on the same ${c.n} ${c.split} rows`;
  const labels = c.perLabel ? ` ${labelVerdicts(c.perLabel)}` : '';
  if (c.low > 0)
    return `The fine-tuned model beats the classical baseline by ${d} ${c.split} ${auc} (${b} against ${k}; ${interval}).${labels}`;
  if (c.high < 0)
    return `The classical baseline is ${d} ${c.split} ${auc} ahead of the fine-tuned model (${k} against ${b}; ${interval}), so it is the better model for this data so far: try a pretrained checkpoint, more epochs or more rows.${labels}`;
  return `The fine-tuned model and the classical baseline are not distinguishable on ${c.n} ${c.split} rows: ${auc} ${b} against ${k} (${interval}, which contains 0). More rows would tell them apart, if they differ.${labels}`;
}

/** A paired comparison in words: which model its 95 % interval puts ahead, if either. */
export function pairedLeader(p: PairedAuc): 'fine-tuned ahead' | 'baseline ahead' | 'not distinguishable' {
  return p.low > 0 ? 'fine-tuned ahead' : p.high < 0 ? 'baseline ahead' : 'not distinguishable';
}

/** "Per label (fine-tuned against baseline): dresses 0.726 against 0.967, baseline ahead; …". */
export function labelVerdicts(perLabel: Record<string, PairedAuc | null>): string {
  const parts = Object.entries(perLabel).map(([name, p]) => {
    if (!p) return `${name}: not measured (one class only)`;
    return `${name} ${signed(p.a)} against ${signed(p.b)}, ${pairedLeader(p)} (${signed(p.low)} to ${signed(p.high)})`;
  });
  return `Per label (fine-tuned against baseline, 95 % interval of the difference): ${parts.join('; ')}.`;
}
