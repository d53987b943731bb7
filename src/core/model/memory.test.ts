import { describe, expect, it } from 'vitest';
import { BERT_CONFIG_DEFAULTS } from './config';
import { estimateTrainingBytes, parameterCount } from './memory';

describe('parameterCount', () => {
  it('equals the published sizes: BERT-base 109,482,240 (+ head), BERT-tiny 4,385,920', () => {
    // BertModel (no head) = parameterCount − head; published counts from transformers' num_parameters().
    expect(parameterCount(BERT_CONFIG_DEFAULTS, 1) - (768 + 1)).toBe(109_482_240);
    const tiny = {
      ...BERT_CONFIG_DEFAULTS,
      hidden_size: 128,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      intermediate_size: 512,
    };
    expect(parameterCount(tiny, 1) - (128 + 1)).toBe(4_385_920);
  });
});

describe('estimateTrainingBytes', () => {
  it('by hand for BERT-tiny, batch 32 × 128', () => {
    const tiny = {
      ...BERT_CONFIG_DEFAULTS,
      hidden_size: 128,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      intermediate_size: 512,
    };
    const params = 4_385_920 + 129;
    const perLayer = 32 * 128 * 128 * 16 + 32 * 2 * 128 * 128 * 3;
    const expected = 4 * (4 * params + 2 * perLayer + 32 * 128 * 128 * 4);
    expect(estimateTrainingBytes(tiny, 1, 32, 128)).toBe(expected);
    expect(expected / 2 ** 20).toBeCloseTo(162.9, 1);
  });
  it('grows with the batch size', () => {
    expect(estimateTrainingBytes(BERT_CONFIG_DEFAULTS, 1, 64, 128)).toBeGreaterThan(
      estimateTrainingBytes(BERT_CONFIG_DEFAULTS, 1, 32, 128),
    );
  });
});
