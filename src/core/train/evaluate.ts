import * as tf from '@tensorflow/tfjs';
import { padBatch } from '../batch';
import { predictionOf, targetOf, type LabelSpec, type Prediction } from '../data/labels';
import { accuracy, auc, macroF1, mae, rmse } from '../metrics/metrics';
import type { SequenceClassifier } from '../model/classifier';
import type { Encoded } from '../tokenizer/bertTokenizer';

export interface EvalMetrics {
  n: number;
  loss: number;
  /** AUC with positive = rating ≥ threshold; null when the split has only one class. */
  auc: number | null;
  /** On the rating scale (regression and classification). */
  rmse: number | null;
  mae: number | null;
  /** Classification: exact class; binary: (P ≥ 0.5) = (rating ≥ threshold). */
  accuracy: number | null;
  macroF1: number | null;
}

/** Mean loss of raw model outputs, computed like the training loss (for reporting, on the host). */
export function lossOf(spec: LabelSpec, outputs: readonly number[][], ratings: readonly number[]): number {
  let sum = 0;
  outputs.forEach((o, i) => {
    const y = targetOf(spec, ratings[i] as number);
    switch (spec.task) {
      case 'regression':
        sum += ((o[0] as number) - y) ** 2;
        break;
      case 'binary': {
        const x = o[0] as number;
        sum += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
        break;
      }
      case 'classification': {
        const m = Math.max(...o);
        const lse = m + Math.log(o.reduce((s, v) => s + Math.exp(v - m), 0));
        sum += lse - (o[y] as number);
        break;
      }
    }
  });
  return sum / outputs.length;
}

/** Every metric of one split, from the model's raw outputs and the true ratings. Pure. */
export function computeMetrics(
  spec: LabelSpec,
  outputs: readonly number[][],
  ratings: readonly number[],
): EvalMetrics {
  const preds = outputs.map((o) => predictionOf(spec, o));
  const positive = ratings.map((r) => r >= spec.threshold);
  const base = {
    n: ratings.length,
    loss: lossOf(spec, outputs, ratings),
    auc: auc(
      positive,
      preds.map((p) => p.rankScore),
    ),
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

/** Raw outputs [n][numLabels] for encoded examples, batch by batch, read back asynchronously. */
export async function modelOutputs(
  model: SequenceClassifier,
  encoded: readonly Encoded[],
  padId: number,
  batchSize: number,
): Promise<number[][]> {
  const out: number[][] = [];
  const k = model.numLabels;
  for (let start = 0; start < encoded.length; start += batchSize) {
    const b = padBatch(encoded.slice(start, start + batchSize), padId);
    const shape: [number, number] = [b.batchSize, b.seqLen];
    const logits = tf.tidy(() =>
      model.forward({
        inputIds: tf.tensor2d(b.inputIds, shape, 'int32'),
        tokenTypeIds: tf.tensor2d(b.tokenTypeIds, shape, 'int32'),
        attentionMask: tf.tensor2d(b.attentionMask, shape, 'int32'),
      }),
    );
    const data = await logits.data();
    logits.dispose();
    for (let i = 0; i < b.batchSize; i++) out.push(Array.from(data.subarray(i * k, (i + 1) * k)));
  }
  return out;
}

export async function predictAll(
  model: SequenceClassifier,
  spec: LabelSpec,
  encoded: readonly Encoded[],
  padId: number,
  batchSize: number,
): Promise<Prediction[]> {
  const outputs = await modelOutputs(model, encoded, padId, batchSize);
  return outputs.map((o) => predictionOf(spec, o));
}
