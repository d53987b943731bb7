import { loraModules, type LoraConfig } from './lora';
import type { BertConfig } from './config';

/**
 * An upper estimate of the memory one fine-tuning step holds in TF.js, in bytes, float32 throughout:
 * weights + gradients + AdamW's two moments (4 copies of every parameter), plus what the step keeps alive
 * for the backward pass. TF.js runs BERT as separate kernels and keeps their intermediates (and gradients)
 * until the step ends, so the activations are far more than a fused framework's. Fitted to the peak tf.profile
 * measures on four shapes on the WASM backend, which holds ~8 % more than the CPU backend (memory.test.ts):
 * ~156 values per token and hidden unit in each layer (feed-forward at 4× width), ~16 per attention-map entry
 * per head, and ~34 per token and hidden unit outside the layers; the coefficients below are those plus 10 %.
 */
export function estimateTrainingBytes(
  c: BertConfig,
  numLabels: number,
  batchSize: number,
  seqLen: number,
  fineTune: FineTuneChoice = { lora: null, headOnly: false },
): number {
  const params = parameterCount(c, numLabels) + (fineTune.lora ? loraParameterCount(c, fineTune.lora) : 0);
  const trainable = trainableParameterCount(c, numLabels, fineTune);
  const tokens = batchSize * seqLen;
  const perLayer = tokens * c.hidden_size * 172 + batchSize * c.num_attention_heads * seqLen * seqLen * 18;
  const activations = perLayer * c.num_hidden_layers + tokens * c.hidden_size * 38;
  // Every weight once; for the weights that train, their gradients, AdamW's two moments and the update's new
  // values, which exist before the old ones are freed (the BERT-base shape's peak showed it: memory.test.ts, docs/performance.md).
  return 4 * (params + 4 * trainable + activations);
}

/** What trains: every weight, LoRA's updates and the head, or the head alone. */
export interface FineTuneChoice {
  lora: LoraConfig | null;
  headOnly: boolean;
}

/** LoRA's weights: r · (in + out) for each adapted layer. */
export function loraParameterCount(c: BertConfig, lora: LoraConfig): number {
  return loraModules(c, lora.targets).reduce((n, [, [out, inDim]]) => n + lora.r * (inDim + out), 0);
}

/** The parameters that train: all of them, LoRA's and the head's, or the head's. */
export function trainableParameterCount(c: BertConfig, numLabels: number, f: FineTuneChoice): number {
  const head = numLabels * c.hidden_size + numLabels;
  if (f.lora) return loraParameterCount(c, f.lora) + head;
  if (f.headOnly) return head;
  return parameterCount(c, numLabels);
}

/** Parameters of BertForSequenceClassification with this config. */
export function parameterCount(c: BertConfig, numLabels: number): number {
  const h = c.hidden_size;
  const embeddings = (c.vocab_size + c.max_position_embeddings + c.type_vocab_size) * h + 2 * h;
  const layer = 4 * (h * h + h) + 2 * (h * c.intermediate_size) + c.intermediate_size + h + 4 * h;
  return embeddings + c.num_hidden_layers * layer + (h * h + h) + (numLabels * h + numLabels);
}
