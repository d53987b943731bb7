import * as tf from '@tensorflow/tfjs';
import { batchInputs, padBatch } from '../batch';
import { predictionOf, targetOf, type LabelSpec, type Prediction, type Task } from '../data/labels';
import { aucInterval } from '../metrics/interval';
import { accuracy, auc, macroF1, mae, rmse } from '../metrics/metrics';
import { rankingMetrics, type RankingMetrics } from '../metrics/ranking';
import type { SequenceClassifier } from '../model/classifier';
import type { Encoded } from '../tokenizer/bertTokenizer';
import { encodedList, type EncodedList } from '../tokenizer/encodedRows';
import { lengthSortedBatches } from './buckets';
import { taskLoss } from './loss';

export interface EvalMetrics {
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
  labels: { task: Task; targets: readonly number[] } | null,
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
      const t = tf.tensor1d(rows.map((i) => labels.targets[i] as number));
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
 * The metrics of labelled examples. Every rating must be one the model can be scored on (inside the
 * scale; one of the classes for classification): `scorableRating` tells the caller which are not.
 */
export async function evaluateSplit(
  model: SequenceClassifier,
  spec: LabelSpec,
  encoded: readonly Encoded[] | EncodedList,
  ratings: readonly number[],
  padId: number,
  batchSize: number,
  groups: readonly string[] | null = null,
): Promise<{ metrics: EvalMetrics; rankScores: number[] }> {
  const targets = ratings.map((r) => targetOf(spec, r));
  const { outputs, loss } = await forwardAll(model, encoded, { task: spec.task, targets }, padId, batchSize);
  return {
    metrics: computeMetrics(spec, outputs, ratings, loss, groups),
    rankScores: rankScoresOf(spec, outputs),
  };
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
