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
