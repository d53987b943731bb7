import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SequenceClassifier } from '../model/classifier';
import { scratchConfig } from '../model/scratch';
import type { Encoded } from '../tokenizer/bertTokenizer';
import { modelOutputs } from './evaluate';

describe('modelOutputs', () => {
  it("returns each example's own output, in the examples' order, though batches are cut by length", async () => {
    await tf.setBackend('cpu');
    const config = scratchConfig(50, { hidden_size: 16, num_attention_heads: 2, intermediate_size: 32 });
    const model = new SequenceClassifier(config, new Map(), 2, 3);
    const encode = (n: number, seed: number): Encoded => {
      const ids = Array.from({ length: n }, (_, i) => 2 + ((i * 7 + seed * 13) % 45));
      return { inputIds: ids, tokenTypeIds: ids.map(() => 0), attentionMask: ids.map(() => 1) };
    };
    const examples = [3, 11, 5, 11, 2, 8].map((n, i) => encode(n, i));
    const together = await modelOutputs(model, examples, 0, 4);
    for (const [i, e] of examples.entries()) {
      const [alone] = await modelOutputs(model, [e], 0, 1);
      alone!.forEach((v, j) => expect(together[i]![j]).toBeCloseTo(v, 5));
    }
    model.dispose();
  });
});
