import type { BertConfig } from './config';

/**
 * A rough upper estimate of the memory fine-tuning needs, in bytes, float32 throughout:
 * weights + gradients + AdamW's two moments (4 copies of every parameter), plus the activations kept
 * for the backward pass — per layer about 16 values per token and hidden unit (projections, attention
 * output, feed-forward at 4× width, LayerNorms, dropout masks) and 3 attention maps of T × T per head.
 */
export function estimateTrainingBytes(
  c: BertConfig,
  numLabels: number,
  batchSize: number,
  seqLen: number,
): number {
  const params = parameterCount(c, numLabels);
  const perLayer =
    batchSize * seqLen * c.hidden_size * 16 + batchSize * c.num_attention_heads * seqLen * seqLen * 3;
  const activations = perLayer * c.num_hidden_layers + batchSize * seqLen * c.hidden_size * 4;
  return 4 * (4 * params + activations);
}

/** Parameters of BertForSequenceClassification with this config. */
export function parameterCount(c: BertConfig, numLabels: number): number {
  const h = c.hidden_size;
  const embeddings = (c.vocab_size + c.max_position_embeddings + c.type_vocab_size) * h + 2 * h;
  const layer = 4 * (h * h + h) + 2 * (h * c.intermediate_size) + c.intermediate_size + h + 4 * h;
  return embeddings + c.num_hidden_layers * layer + (h * h + h) + (numLabels * h + numLabels);
}
