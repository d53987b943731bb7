import { describe, expect, it } from 'vitest';
import { BERT_CONFIG_DEFAULTS, parseBertConfig } from './config';

describe('parseBertConfig', () => {
  it('fills transformers defaults and keeps given fields', () => {
    const c = parseBertConfig({
      hidden_size: 128,
      num_attention_heads: 2,
      num_hidden_layers: 2,
      intermediate_size: 512,
      hidden_act: 'gelu_new',
    });
    expect(c).toEqual({
      ...BERT_CONFIG_DEFAULTS,
      hidden_size: 128,
      num_attention_heads: 2,
      num_hidden_layers: 2,
      intermediate_size: 512,
      hidden_act: 'gelu_new',
    });
  });
  const bad: Array<[string, unknown, RegExp]> = [
    [
      'unknown activation',
      { hidden_act: 'swish' },
      /hidden_act "swish" is not supported. Supported: gelu, gelu_new, relu/,
    ],
    [
      'heads not dividing hidden',
      { hidden_size: 100, num_attention_heads: 3 },
      /hidden_size 100 is not divisible by num_attention_heads 3/,
    ],
    [
      'relative positions',
      { position_embedding_type: 'relative_key' },
      /position_embedding_type "relative_key" is not supported/,
    ],
    ['another architecture', { model_type: 'roberta' }, /model_type is "roberta"/],
    ['a non-integer size', { hidden_size: 12.5 }, /hidden_size must be a positive integer/],
    ['a bad dropout', { hidden_dropout_prob: 1.5 }, /dropout probabilities must be below 1/],
    ['not an object', [1], /not a JSON object/],
  ];
  it.each(bad)('refuses %s with a message naming the field', (_l, json, msg) => {
    expect(() => parseBertConfig(json, 'config.json')).toThrow(msg);
    expect(() => parseBertConfig(json, 'config.json')).toThrow(/config.json/);
  });
});
