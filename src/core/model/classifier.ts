import * as tf from '@tensorflow/tfjs';
import type { HostTensor } from '../checkpoint/rawTensor';
import { TabTuneError } from '../errors';
import { BertModel, type BertInputs } from './bert';
import type { BertConfig } from './config';
import { maybeDropout, type DropoutPass } from './dropout';
import { linear } from './linear';

/**
 * BertForSequenceClassification: BERT, dropout on the pooled output, then `classifier` (a linear layer
 * [numLabels, hidden]). Names match Hugging Face: "bert.*" for the encoder, "classifier.*" for the head.
 */
export class SequenceClassifier {
  readonly bert: BertModel;
  readonly numLabels: number;
  readonly head: Map<string, tf.Variable>;

  constructor(config: BertConfig, weights: Map<string, HostTensor>, numLabels: number, seed = 0) {
    this.bert = new BertModel(config, weights, seed);
    this.numLabels = numLabels;
    const w = weights.get('classifier.weight');
    const b = weights.get('classifier.bias');
    const reuse = w !== undefined && b !== undefined && w.shape[0] === numLabels;
    if (w !== undefined && !reuse) {
      throw new TabTuneError(
        'checkpoint',
        `The checkpoint's classifier has ${w.shape[0]} output(s) but this task needs ${numLabels}. Start from the base model, or keep the task the checkpoint was trained for.`,
      );
    }
    const h = config.hidden_size;
    const weight = reuse
      ? tf.tensor(w.data, w.shape)
      : tf.randomNormal([numLabels, h], 0, config.initializer_range, 'float32', seed + 7919);
    const bias = reuse ? tf.tensor(b.data, b.shape) : tf.zeros([numLabels]);
    this.head = new Map([
      ['classifier.weight', tf.variable(weight, true)],
      ['classifier.bias', tf.variable(bias, true)],
    ]);
    weight.dispose();
    bias.dispose();
  }

  /** Logits [B, numLabels] (for regression, numLabels = 1 and the "logit" is the scaled rating). */
  forward(x: BertInputs, dropout: DropoutPass | null = null): tf.Tensor2D {
    return tf.tidy(() => {
      const { pooled } = this.bert.forward(x, dropout); // [B, H]
      const dropped = maybeDropout(pooled, dropout, (r) => r.classifier);
      const w = this.head.get('classifier.weight') as tf.Variable;
      return linear(dropped, w as tf.Tensor2D, this.head.get('classifier.bias') as tf.Tensor1D);
    });
  }

  /**
   * Every parameter under its Hugging Face checkpoint name ("bert." prefix for the encoder), LoRA's included
   * ("bert.encoder.layer.0.attention.self.query.lora_A.weight"): what training, saved states and resuming see.
   */
  namedParameters(): Array<[string, tf.Variable]> {
    const bert = [...this.bert.params, ...(this.bert.lora?.params ?? [])];
    return [...bert.map(([n, v]) => [`bert.${n}`, v] as [string, tf.Variable]), ...this.head];
  }

  /** The weights a plain BertForSequenceClassification loads: LoRA's updates merged in, no LoRA tensors. */
  async exportedWeights(): Promise<Array<{ name: string; shape: number[]; data: Float32Array }>> {
    const out = [];
    for (const [name, t] of await this.bert.mergedWeights()) out.push({ name: `bert.${name}`, ...t });
    for (const [name, v] of this.head)
      out.push({ name, shape: v.shape, data: (await v.data()) as Float32Array });
    return out;
  }

  dispose(): void {
    this.bert.dispose();
    for (const v of this.head.values()) v.dispose();
  }
}
