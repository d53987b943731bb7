import * as tf from '@tensorflow/tfjs';
import type { BertInputs } from './model/bert';
import type { Encoded } from './tokenizer/bertTokenizer';

/** A batch padded to its longest sequence (not to max length), as flat row-major arrays. */
export interface PaddedBatch {
  batchSize: number;
  seqLen: number;
  inputIds: Int32Array; // [B, T]
  tokenTypeIds: Int32Array; // [B, T]
  attentionMask: Int32Array; // [B, T] 1 = token, 0 = padding
}

export function padBatch(rows: readonly Encoded[], padId: number): PaddedBatch {
  const batchSize = rows.length;
  const seqLen = rows.reduce((m, r) => Math.max(m, r.inputIds.length), 0);
  const inputIds = new Int32Array(batchSize * seqLen).fill(padId);
  const tokenTypeIds = new Int32Array(batchSize * seqLen);
  const attentionMask = new Int32Array(batchSize * seqLen);
  rows.forEach((r, i) => {
    inputIds.set(r.inputIds, i * seqLen);
    tokenTypeIds.set(r.tokenTypeIds, i * seqLen);
    attentionMask.set(r.attentionMask, i * seqLen);
  });
  return { batchSize, seqLen, inputIds, tokenTypeIds, attentionMask };
}

/** The model's three input tensors for a padded batch ([B, T] int32 each); the caller disposes them (or tidies). */
export function batchInputs(b: PaddedBatch): BertInputs {
  const shape: [number, number] = [b.batchSize, b.seqLen];
  return {
    inputIds: tf.tensor2d(b.inputIds, shape, 'int32'),
    tokenTypeIds: tf.tensor2d(b.tokenTypeIds, shape, 'int32'),
    attentionMask: tf.tensor2d(b.attentionMask, shape, 'int32'),
    host: { inputIds: b.inputIds, tokenTypeIds: b.tokenTypeIds },
  };
}
