import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { syntheticTraining } from '../runtime/synthetic';
import { BERT_CONFIG_DEFAULTS, type BertConfig } from './config';
import { estimateTrainingBytes, parameterCount } from './memory';
import { DEFAULT_LORA, type LoraConfig } from './lora';

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
  // Checked against what TF.js really holds during one training step (the trainer's OptimizerStep): tf.profile's
  // peak is every byte alive at the fullest moment, weights and AdamW moments included. On CPU and on WASM,
  // whose matrix products take another path (explicit transposes, model/matmul.ts).
  const measured = async (
    backend: string,
    c: BertConfig,
    batch: number,
    seq: number,
    lora: LoraConfig | null = null,
  ) => {
    await tf.setBackend(backend);
    const training = syntheticTraining(c, batch, seq, lora);
    const info = await tf.profile(() => training.run(0));
    tf.dispose(info.result as tf.Tensor);
    training.dispose();
    return info.peakBytes;
  };
  const small = {
    ...BERT_CONFIG_DEFAULTS,
    vocab_size: 500,
    hidden_size: 64,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    intermediate_size: 256,
    max_position_embeddings: 64,
  };
  const wider = {
    ...small,
    hidden_size: 128,
    num_attention_heads: 4,
    intermediate_size: 512,
    num_hidden_layers: 1,
  };
  const tall = { ...small, num_hidden_layers: 4, max_position_embeddings: 128 };
  const shapes = [
    ['H 64, batch 8 × 32', small, 8, 32],
    ['H 64, batch 16 × 64', small, 16, 64],
    ['H 128, 4 heads, batch 8 × 48', wider, 8, 48],
    ['4 layers, batch 8 × 128', tall, 8, 128],
  ] as const;
  it.each(['cpu', 'wasm'].flatMap((b) => shapes.map(([n, c, batch, seq]) => [b, n, c, batch, seq] as const)))(
    'is an upper bound within 1.5× of the real peak on %s: %s',
    async (backend, _, c, batch, seq) => {
      const real = await measured(backend, c, batch, seq);
      const estimate = estimateTrainingBytes(c, 1, batch, seq);
      expect(estimate).toBeGreaterThanOrEqual(real);
      expect(estimate).toBeLessThan(1.5 * real);
    },
  );
  it.each(['cpu', 'wasm'].flatMap((b) => shapes.map(([n, c, batch, seq]) => [b, n, c, batch, seq] as const)))(
    'with LoRA, is an upper bound within 1.5× of the real peak on %s: %s',
    async (backend, _, c, batch, seq) => {
      const real = await measured(backend, c, batch, seq, DEFAULT_LORA);
      const estimate = estimateTrainingBytes(c, 1, batch, seq, { lora: DEFAULT_LORA, headOnly: false });
      expect(estimate).toBeGreaterThanOrEqual(real);
      expect(estimate).toBeLessThan(1.5 * real);
    },
  );
  it('for the BERT-base shape, puts LoRA below full fine-tuning by about the factor measured (2.4×)', () => {
    // npm run bench -- --shapes base --node-backends wasm --batch 4 --seq 32 --lora (docs/performance.md): 3.01 GB and 1.26 GB.
    const full = estimateTrainingBytes(BERT_CONFIG_DEFAULTS, 1, 4, 32);
    const lora = estimateTrainingBytes(BERT_CONFIG_DEFAULTS, 1, 4, 32, {
      lora: DEFAULT_LORA,
      headOnly: false,
    });
    expect(full / lora).toBeGreaterThan(2.2);
    expect(full / lora).toBeLessThan(2.6);
  });
  it('grows with the batch size', () => {
    expect(estimateTrainingBytes(BERT_CONFIG_DEFAULTS, 1, 64, 128)).toBeGreaterThan(
      estimateTrainingBytes(BERT_CONFIG_DEFAULTS, 1, 32, 128),
    );
  });
});
