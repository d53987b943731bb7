import * as tf from '@tensorflow/tfjs';
import type { Target, Task } from '../data/labels';

/** A batch's targets as a tensor: [B] for one number a row, [B, L] for multi-label rows. */
export function targetTensor(targets: readonly Target[]): tf.Tensor {
  return typeof targets[0] === 'object'
    ? tf.tensor2d(targets as number[][], [targets.length, (targets[0] as number[]).length])
    : tf.tensor1d(targets as number[]);
}

/**
 * Mean loss over the batch, as BertForSequenceClassification computes it:
 * regression → MSE on the single output; classification → softmax cross-entropy;
 * binary → binary cross-entropy on the logit; multi-label → binary cross-entropy per label (`multiLabelLoss`).
 * logits: [B, numLabels]; targets: [B] (scaled rating, class index, or 0/1) or [B, L] 0/1 (multi-label).
 */
export function taskLoss(task: Task, logits: tf.Tensor2D, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (task) {
      case 'multi-label':
        return multiLabelLoss(logits, targets as tf.Tensor2D);
      case 'regression':
        return tf.mean(tf.square(logits.reshape([-1]).sub(targets)));
      case 'binary': {
        // max(x, 0) − x·y + log(1 + exp(−|x|)): the stable form of BCE-with-logits.
        const x = logits.reshape([-1]);
        return tf.mean(
          tf
            .relu(x)
            .sub(x.mul(targets))
            .add(tf.log1p(tf.exp(tf.abs(x).neg()))),
        );
      }
      case 'classification': {
        const logp = tf.logSoftmax(logits); // [B, K]
        const onehot = tf.oneHot(targets.toInt(), logits.shape[1]);
        return tf.mean(tf.sum(onehot.mul(logp), -1).neg());
      }
    }
  }) as tf.Scalar;
}

/**
 * The multi-label loss, as BertForSequenceClassification computes it for `multi_label_classification`
 * (BCEWithLogitsLoss: one sigmoid per label, the mean over every row and label), with PyTorch's optional
 * `pos_weight` p per label weighting the positive term: p·y·softplus(−x) + (1 − y)·softplus(x).
 * logits, targets: [B, L] (targets 0/1); posWeight: [L] or null.
 */
export function multiLabelLoss(
  logits: tf.Tensor2D,
  targets: tf.Tensor2D,
  posWeight: tf.Tensor1D | null = null,
): tf.Scalar {
  return tf.tidy(() => {
    // softplus(x) = max(x, 0) + log(1 + exp(−|x|)), stable for saturated logits; softplus(−x) = softplus(x) − x.
    const softplus = tf.relu(logits).add(tf.log1p(tf.exp(tf.abs(logits).neg())));
    const positive = softplus.sub(logits).mul(targets);
    const weighted = posWeight ? positive.mul(posWeight) : positive;
    return tf.mean(weighted.add(softplus.mul(tf.scalar(1).sub(targets))));
  }) as tf.Scalar;
}
