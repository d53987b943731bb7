import * as tf from '@tensorflow/tfjs';

/**
 * The most inputs one AddN may take on every backend. TF.js's WebGPU AddN binds each input as a storage
 * buffer, and WebGPU's default limit is 8 storage buffers per shader stage, the output included; past that the
 * pipeline is invalid, the dispatch is dropped, and the output holds whatever its buffer held before (TF.js
 * 4.22 splits Concat for this limit, not AddN). Clipping sums one squared norm per parameter tensor (41 in
 * BERT-tiny), so on WebGPU it read garbage: steps were skipped or scaled at random.
 */
export const ADD_N_MAX_INPUTS = 7;

/** Σ of same-shape tensors as a tree of AddNs of at most ADD_N_MAX_INPUTS inputs each. */
export function addMany(tensors: readonly tf.Tensor[]): tf.Tensor {
  if (tensors.length === 0) throw new Error('addMany needs at least one tensor');
  return tf.tidy(() => {
    let level: tf.Tensor[] = [...tensors];
    while (level.length > 1) {
      const next: tf.Tensor[] = [];
      for (let i = 0; i < level.length; i += ADD_N_MAX_INPUTS) {
        const group = level.slice(i, i + ADD_N_MAX_INPUTS);
        next.push(group.length === 1 ? (group[0] as tf.Tensor) : tf.addN(group));
      }
      level = next;
    }
    return (level[0] as tf.Tensor).clone();
  });
}
