import * as tf from '@tensorflow/tfjs';
import { batchInputs, padBatch } from '../batch';
import {
  exampleTarget,
  predictionOf,
  type LabelSpec,
  type Prediction,
  type Target,
  type Task,
} from '../data/labels';
import { targetVector } from '../data/labelSets';
import { multiLabelMetrics, type MultiLabelMetrics } from '../metrics/multiLabel';
import { aucInterval } from '../metrics/interval';
import { accuracy, auc, macroF1, mae, rmse } from '../metrics/metrics';
import { rankingMetrics, type RankingMetrics } from '../metrics/ranking';
import type { SequenceClassifier } from '../model/classifier';
import type { Encoded } from '../tokenizer/bertTokenizer';
import { encodedList, type EncodedList } from '../tokenizer/encodedRows';
import { lengthSortedBatches } from './buckets';
import { targetTensor, taskLoss } from './loss';

/**
 * One split's metrics. Multi-label adds `per_label`, `macro_auc` and `micro_auc` (named as metrics.json writes them;
 * `auc` is then the macro AUC).
 */
export interface EvalMetrics extends Partial<MultiLabelMetrics> {
  n: number;
  loss: number;
  /** AUC with positive = rating ≥ threshold; null when the split has only one class. */
  auc: number | null;
  /** DeLong's 95 % interval of the AUC (`metrics/interval.ts`); null with fewer than two rows of a class. Absent in
   * records of older TabTune versions. */
  aucCi?: { low: number; high: number } | null;
  /** On the rating scale (regression and classification). */
  rmse: number | null;
  mae: number | null;
  /** Classification: exact class; binary: (P ≥ 0.5) = (rating ≥ threshold). */
  accuracy: number | null;
  macroF1: number | null;
  /** Per-group ranking metrics, when the rows have groups (a group column); null otherwise. */
  ranking?: RankingMetrics | null;
}

/** Each held-out row's score (and, multi-label, its probability of each label) at a split's latest evaluation. */
export interface RowScores {
  validation: number[];
  test: number[] | null;
  labels?: { validation: number[][]; test: number[][] | null };
}

/** A labelled row as evaluation reads it: its rating, or (multi-label) its labels. */
export interface LabelledRow {
  rating: number;
  tags?: readonly string[];
}

/**
 * The multi-label metrics of a split (`metrics/multiLabel.ts`): `auc` the macro AUC and `macroF1` the mean of the
 * labels' F1, each at its own threshold — validation's best (`thresholds` null), as given on test. Pure.
 */
function multiLabelSplitMetrics(
  spec: LabelSpec,
  outputs: readonly number[][],
  rows: readonly LabelledRow[],
  loss: number,
  thresholds: readonly number[] | null,
): EvalMetrics {
  const names = spec.labels ?? [];
  const truth = rows.map((r) => targetVector(r.tags ?? [], names));
  const probs = outputs.map((o) => predictionOf(spec, o).probabilities as number[]);
  const m = multiLabelMetrics(names, truth, probs, thresholds);
  const f1s = names.map((n) => m.per_label[n]!.f1);
  return {
    n: rows.length,
    loss,
    auc: m.macro_auc,
    aucCi: null,
    rmse: null,
    mae: null,
    accuracy: null,
    macroF1: f1s.reduce((s, x) => s + x, 0) / Math.max(1, f1s.length),
    ranking: null,
    ...m,
  };
}

/** Each label's threshold from a split's multi-label metrics (validation's, for test), in the spec's order. */
export function labelThresholds(spec: LabelSpec, m: EvalMetrics): number[] | null {
  const per = m.per_label;
  return per ? (spec.labels ?? []).map((n) => per[n]!.threshold) : null;
}

/**
 * Every metric of one split, from the model's raw outputs, the true ratings and the mean loss (computed on
 * the device by the training loss itself: `evaluateSplit`). Pure.
 */
export function computeMetrics(
  spec: LabelSpec,
  outputs: readonly number[][],
  ratings: readonly number[],
  loss: number,
  groups: readonly string[] | null = null,
): EvalMetrics {
  if (spec.task === 'multi-label')
    throw new Error('computeMetrics: multi-label rows are scored by their labels (splitMetrics)');
  const preds = outputs.map((o) => predictionOf(spec, o));
  const positive = ratings.map((r) => r >= spec.threshold);
  const rankScores = rankScoresOf(spec, outputs);
  const ci = aucInterval(positive, rankScores);
  const base = {
    n: ratings.length,
    loss,
    auc: auc(positive, rankScores),
    aucCi: ci && { low: ci.low, high: ci.high },
    ranking: groups && rankingMetrics(groups, ratings, rankScores, spec.threshold, spec.scale.min),
  };
  const scores = preds.map((p) => p.score);
  switch (spec.task) {
    case 'regression':
      return {
        ...base,
        rmse: rmse(ratings, scores),
        mae: mae(ratings, scores),
        accuracy: null,
        macroF1: null,
      };
    case 'classification': {
      const truth = ratings.map((r) => spec.classes.indexOf(r));
      const pred = scores.map((s) => spec.classes.indexOf(s));
      return {
        ...base,
        rmse: rmse(ratings, scores),
        mae: mae(ratings, scores),
        accuracy: accuracy(truth, pred),
        macroF1: macroF1(truth, pred, spec.classes.length),
      };
    }
    case 'binary': {
      const truth = positive.map(Number);
      const pred = scores.map((p) => (p >= 0.5 ? 1 : 0));
      return {
        ...base,
        rmse: null,
        mae: null,
        accuracy: accuracy(truth, pred),
        macroF1: macroF1(truth, pred, 2),
      };
    }
  }
}

/**
 * Raw outputs [n][numLabels] for encoded examples, in the examples' order, read back asynchronously; with
 * `labels`, also the mean of the training loss over them (the same `taskLoss`, summed per batch). Batches
 * hold examples of similar length (`lengthSortedBatches`), so little of the compute goes to padding.
 */
async function forwardAll(
  model: SequenceClassifier,
  given: readonly Encoded[] | EncodedList,
  labels: { task: Task; targets: readonly Target[] } | null,
  padId: number,
  batchSize: number,
): Promise<{ outputs: number[][]; loss: number }> {
  const encoded = Array.isArray(given) ? encodedList(given) : (given as EncodedList);
  const outputs: number[][] = new Array<number[]>(encoded.length);
  const k = model.numLabels;
  let lossSum = 0;
  const lengths = Array.from({ length: encoded.length }, (_, i) => encoded.tokenCount(i));
  for (const rows of lengthSortedBatches(lengths, batchSize)) {
    const b = padBatch(
      rows.map((i) => encoded.get(i)),
      padId,
    );
    const [logits, sum] = tf.tidy(() => {
      const out = model.forward(batchInputs(b));
      if (labels === null) return [out, null];
      const t = targetTensor(rows.map((i) => labels.targets[i] as Target));
      return [out, taskLoss(labels.task, out, t).mul(b.batchSize)];
    });
    const [data, s] = await Promise.all([logits.data(), sum?.data()]);
    tf.dispose([logits, ...(sum ? [sum] : [])]);
    lossSum += s ? (s[0] as number) : 0;
    rows.forEach((row, i) => (outputs[row] = Array.from(data.subarray(i * k, (i + 1) * k))));
  }
  return { outputs, loss: lossSum / Math.max(1, encoded.length) };
}

/** Raw outputs [n][numLabels] for encoded examples (no labels needed). */
export async function modelOutputs(
  model: SequenceClassifier,
  encoded: readonly Encoded[] | EncodedList,
  padId: number,
  batchSize: number,
): Promise<number[][]> {
  return (await forwardAll(model, encoded, null, padId, batchSize)).outputs;
}

/**
 * Every metric of one split from the model's raw outputs: `computeMetrics` for a rating, the labels' metrics for
 * multi-label rows (each label's F1 at `thresholds`, validation's, where given). Pure.
 */
export function splitMetrics(
  spec: LabelSpec,
  outputs: readonly number[][],
  rows: readonly LabelledRow[],
  loss: number,
  groups: readonly string[] | null = null,
  thresholds: readonly number[] | null = null,
): EvalMetrics {
  return spec.task === 'multi-label'
    ? multiLabelSplitMetrics(spec, outputs, rows, loss, thresholds)
    : computeMetrics(
        spec,
        outputs,
        rows.map((r) => r.rating),
        loss,
        groups,
      );
}

/**
 * The metrics of labelled examples. Every rating must be one the model can be scored on (inside the
 * scale; one of the classes for classification): `scorableRating` tells the caller which are not.
 */
export async function evaluateSplit(
  model: SequenceClassifier,
  spec: LabelSpec,
  encoded: readonly Encoded[] | EncodedList,
  rows: readonly LabelledRow[],
  padId: number,
  batchSize: number,
  groups: readonly string[] | null = null,
  thresholds: readonly number[] | null = null,
): Promise<{ metrics: EvalMetrics; rankScores: number[]; labelScores: number[][] | null }> {
  const targets = rows.map((r) => exampleTarget(spec, r));
  const { outputs, loss } = await forwardAll(model, encoded, { task: spec.task, targets }, padId, batchSize);
  return {
    metrics: splitMetrics(spec, outputs, rows, loss, groups, thresholds),
    rankScores: rankScoresOf(spec, outputs),
    labelScores: labelScoresOf(spec, outputs),
  };
}

/** Multi-label: each row's probability of each label (null for the other tasks). Pure. */
export function labelScoresOf(spec: LabelSpec, outputs: readonly number[][]): number[][] | null {
  return spec.task === 'multi-label'
    ? outputs.map((o) => predictionOf(spec, o).probabilities as number[])
    : null;
}

/** Each row's score for ranking and AUC (higher: more likely positive), from the model's raw outputs. Pure. */
export function rankScoresOf(spec: LabelSpec, outputs: readonly number[][]): number[] {
  return outputs.map((o) => predictionOf(spec, o).rankScore);
}

export async function predictAll(
  model: SequenceClassifier,
  spec: LabelSpec,
  encoded: readonly Encoded[] | EncodedList,
  padId: number,
  batchSize: number,
): Promise<Prediction[]> {
  const outputs = await modelOutputs(model, encoded, padId, batchSize);
  return outputs.map((o) => predictionOf(spec, o));
}

/** When an evaluation was made: before training (the untrained model), during it, or on the weights kept. */
export type Phase = 'baseline' | 'training' | 'final';

/** One evaluation of one split, as the charts, the log and metrics.jsonl show it. */
export interface EvalPoint extends EvalMetrics {
  step: number;
  epoch: number;
  split: 'validation' | 'test';
  phase: Phase;
}
