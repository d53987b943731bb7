import * as tf from '@tensorflow/tfjs';
import type { Encoded } from '../tokenizer/bertTokenizer';
import type { LabelSpec } from '../data/labels';
import type { SequenceClassifier } from '../model/classifier';

/** Integrated gradients' default number of steps: completeness within 1 % on the test checkpoints. */
export const IG_STEPS = 32;
/** How many interpolation steps go through the model at once (the memory of one batch of that many texts). */
const STEPS_PER_BATCH = 8;

/** One text's attributions: which tokens moved its score from the baseline's, and by how much. */
export interface Attribution {
  /** The tokens as the model read them: [CLS], word pieces ("##…"), [SEP]. */
  tokens: string[];
  /** One per token, in the score's units, summed over the hidden size; they add up to score − baselineScore. */
  attributions: number[];
  /** What is explained: the rating (regression), P(positive) (binary), or P(predicted class) (classification). */
  score: number;
  /** The same for the baseline: every token but [CLS] and [SEP] replaced by [PAD]. */
  baselineScore: number;
  /** Classification: the rating whose probability is explained; null otherwise. */
  explainedClass: number | null;
  /** Multi-label: the label whose probability is explained; null otherwise. */
  explainedLabel: string | null;
}

/**
 * Integrated gradients (Sundararajan et al., 2017) on the word embeddings: the path from a baseline whose tokens are
 * all [PAD] (the special tokens kept) to the text, in `steps` midpoint steps, batched; each token's attribution is
 * (e − e₀) · the mean gradient along the path, summed over the hidden size. By completeness the attributions add up
 * to f(text) − f(baseline), up to the Riemann sum's error. Position and token-type embeddings stay as they are.
 */
export async function integratedGradients(
  model: SequenceClassifier,
  spec: LabelSpec,
  encoded: Encoded,
  tokenOf: (id: number) => string,
  padId: number,
  steps = IG_STEPS,
  /** Multi-label: the index of the label to explain (null: the text's most likely label). */
  label: number | null = null,
): Promise<Attribution> {
  const ids = encoded.inputIds;
  const t = ids.length;
  const kept = (i: number) => i === 0 || i === t - 1 || isSep(encoded, i); // [CLS], and each [SEP]
  const baselineIds = ids.map((id, i) => (kept(i) ? id : padId));
  const table = model.bert.params.get('embeddings.word_embeddings.weight') as tf.Tensor2D;
  const e = tf.tidy(() => tf.gather(table, tf.tensor1d(ids, 'int32'))); // [T, H]
  const e0 = tf.tidy(() => tf.gather(table, tf.tensor1d(baselineIds, 'int32')));
  const delta = tf.sub(e, e0);
  const inputs = (batch: number, embeddings: tf.Tensor3D) => ({
    inputIds: tf.tensor2d([ids], [1, t], 'int32').tile([batch, 1]) as tf.Tensor2D,
    tokenTypeIds: tf.tensor2d([encoded.tokenTypeIds], [1, t], 'int32').tile([batch, 1]) as tf.Tensor2D,
    attentionMask: tf.ones([batch, t], 'int32') as tf.Tensor2D,
    wordEmbeddings: embeddings,
  });
  // The text and the baseline through the model once: the text's own predicted class is what is explained.
  const ends = tf.tidy(() => model.forward(inputs(2, tf.stack([e, e0]) as tf.Tensor3D))); // [2, labels]
  const own = ((await ends.array()) as number[][])[0]!;
  const pick = spec.task === 'classification' || spec.task === 'multi-label';
  const cls = label ?? (pick ? own.indexOf(Math.max(...own)) : 0);
  const f = (l: tf.Tensor2D): tf.Tensor1D =>
    spec.task === 'regression'
      ? (l
          .slice([0, 0], [-1, 1])
          .reshape([-1])
          .mul(spec.scale.max - spec.scale.min)
          .add(spec.scale.min) as tf.Tensor1D)
      : spec.task === 'binary' || spec.task === 'multi-label'
        ? (tf.sigmoid(l.slice([0, cls], [-1, 1]).reshape([-1])) as tf.Tensor1D)
        : (tf.softmax(l).slice([0, cls], [-1, 1]).reshape([-1]) as tf.Tensor1D);
  const endScores = tf.tidy(() => f(ends));
  const [score, baselineScore] = Array.from(await endScores.data()) as [number, number];
  tf.dispose([ends, endScores]);
  const gradSum = tf.variable(tf.zeros([t, table.shape[1]]), false);
  for (let k0 = 0; k0 < steps; k0 += STEPS_PER_BATCH) {
    const n = Math.min(STEPS_PER_BATCH, steps - k0);
    tf.tidy(() => {
      const alphas = tf
        .tensor1d(Array.from({ length: n }, (_, j) => (k0 + j + 0.5) / steps))
        .reshape([n, 1, 1]);
      const path = e0.expandDims(0).add(alphas.mul(delta.expandDims(0))) as tf.Tensor3D; // [n, T, H]
      const grad = tf.grad((x: tf.Tensor) => f(model.forward(inputs(n, x as tf.Tensor3D))).sum())(path);
      gradSum.assign(gradSum.add(grad.sum(0)));
    });
    await tf.nextFrame(); // a Worker answers its other calls between batches
  }
  const perToken = tf.tidy(() => delta.mul(gradSum.div(steps)).sum(1));
  const attributions = Array.from(await perToken.data());
  for (const x of [e, e0, delta, gradSum, perToken]) x.dispose();
  return {
    tokens: ids.map(tokenOf),
    attributions,
    score,
    baselineScore,
    explainedClass: spec.task === 'classification' ? (spec.classes[cls] ?? null) : null,
    explainedLabel: spec.task === 'multi-label' ? (spec.labels?.[cls] ?? null) : null,
  };
}

/** Whether token i is the [SEP] that closes the first text of a pair (its token type changes after it). */
function isSep(encoded: Encoded, i: number): boolean {
  return encoded.tokenTypeIds[i] === 0 && encoded.tokenTypeIds[i + 1] === 1;
}
