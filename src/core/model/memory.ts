import type { BertConfig } from './config';

/**
 * An upper estimate of the memory one fine-tuning step holds in TF.js, in bytes, float32 throughout:
 * weights + gradients + AdamW's two moments (4 copies of every parameter), plus what the step keeps alive
 * for the backward pass. TF.js runs BERT as unfused kernels and keeps every intermediate (and its gradient)
 * until the step ends, so the activations are far more than a fused framework's: measured with tf.profile
 * on three shapes on the CPU backend (memory.test.ts), ~207 values per token and hidden unit in each layer
 * (feed-forward at 4× width), ~7 per attention-map entry per head, and ~71 per token and hidden unit outside
 * the layers. WASM holds 10–20 % more (its matrix products keep transposed copies, model/matmul.ts); the
 * coefficients below cover both.
 */
export function estimateTrainingBytes(
  c: BertConfig,
  numLabels: number,
  batchSize: number,
  seqLen: number,
): number {
  const params = parameterCount(c, numLabels);
  const tokens = batchSize * seqLen;
  const perLayer = tokens * c.hidden_size * 256 + batchSize * c.num_attention_heads * seqLen * seqLen * 10;
  const activations = perLayer * c.num_hidden_layers + tokens * c.hidden_size * 96;
  return 4 * (4 * params + activations);
}

/** Parameters of BertForSequenceClassification with this config. */
export function parameterCount(c: BertConfig, numLabels: number): number {
  const h = c.hidden_size;
  const embeddings = (c.vocab_size + c.max_position_embeddings + c.type_vocab_size) * h + 2 * h;
  const layer = 4 * (h * h + h) + 2 * (h * c.intermediate_size) + c.intermediate_size + h + 4 * h;
  return embeddings + c.num_hidden_layers * layer + (h * h + h) + (numLabels * h + numLabels);
}
