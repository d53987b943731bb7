import { TabTuneError } from '../errors';

export type HiddenAct = 'gelu' | 'gelu_new' | 'relu';
const ACTIVATIONS: readonly HiddenAct[] = ['gelu', 'gelu_new', 'relu'];

/** The fields of a Hugging Face BertConfig (config.json) that shape the network. */
export interface BertConfig {
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: HiddenAct;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  layer_norm_eps: number;
  initializer_range: number;
}

/** transformers' BertConfig defaults, used for fields a config.json leaves out. */
export const BERT_CONFIG_DEFAULTS: BertConfig = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  initializer_range: 0.02,
};

/** Validates a parsed config.json; every problem names the field and what TabTune supports. */
export function parseBertConfig(json: unknown, file = 'config.json'): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TabTuneError(
      'config',
      `${file} is not a JSON object. Use the config.json that came with the checkpoint.`,
    );
  }
  const raw = json as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new TabTuneError('config', `${file}: ${what}`);
  };
  if (raw.model_type !== undefined && raw.model_type !== 'bert') {
    bad(
      `model_type is ${JSON.stringify(raw.model_type)}; TabTune fine-tunes BERT-architecture models ("bert") only.`,
    );
  }
  const config = { ...BERT_CONFIG_DEFAULTS };
  const ints = [
    'vocab_size',
    'hidden_size',
    'num_hidden_layers',
    'num_attention_heads',
    'intermediate_size',
    'max_position_embeddings',
    'type_vocab_size',
  ] as const;
  for (const key of ints) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      bad(`${key} must be a positive integer, got ${JSON.stringify(v)}.`);
    config[key] = v as number;
  }
  const floats = [
    'hidden_dropout_prob',
    'attention_probs_dropout_prob',
    'layer_norm_eps',
    'initializer_range',
  ] as const;
  for (const key of floats) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      bad(`${key} must be a non-negative number, got ${JSON.stringify(v)}.`);
    config[key] = v as number;
  }
  if (config.hidden_dropout_prob >= 1 || config.attention_probs_dropout_prob >= 1)
    bad('dropout probabilities must be below 1.');
  if (raw.hidden_act !== undefined) {
    if (!ACTIVATIONS.includes(raw.hidden_act as HiddenAct)) {
      bad(
        `hidden_act ${JSON.stringify(raw.hidden_act)} is not supported. Supported: ${ACTIVATIONS.join(', ')}.`,
      );
    }
    config.hidden_act = raw.hidden_act as HiddenAct;
  }
  const pos = raw.position_embedding_type;
  if (pos !== undefined && pos !== 'absolute') {
    bad(
      `position_embedding_type ${JSON.stringify(pos)} is not supported; TabTune supports "absolute" position embeddings.`,
    );
  }
  if (config.hidden_size % config.num_attention_heads !== 0) {
    bad(
      `hidden_size ${config.hidden_size} is not divisible by num_attention_heads ${config.num_attention_heads}.`,
    );
  }
  return config;
}
