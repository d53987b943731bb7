import * as tf from '@tensorflow/tfjs';
import type { Task } from '../data/labels';

/**
 * Mean loss over the batch, as BertForSequenceClassification computes it:
 * regression → MSE on the single output; classification → softmax cross-entropy;
 * binary → binary cross-entropy on the logit.
 * logits: [B, numLabels]; targets: [B] (scaled rating, class index, or 0/1).
 */
export function taskLoss(task: Task, logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    switch (task) {
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
