import * as tf from '@tensorflow/tfjs';
import { TabTuneError } from '../errors';
import { bertParameterShapes } from '../checkpoint/names';
import type { HostTensor } from '../checkpoint/rawTensor';
import type { BertConfig } from './config';
import { maybeDropout, type DropoutPass } from './dropout';
import { embeddingLookup } from './embedding';
import { layerNorm } from './layerNorm';
import { attentionSoftmax } from './attentionSoftmax';
import { gelu } from './gelu';
import { linear, linearFrozen } from './linear';
import type { LoraWeights } from './lora';
import { matMul, matMulBT } from './matmul';

/**
 * BERT (Devlin et al., 2019) as Hugging Face's BertModel computes it, in TF.js.
 * Reads top-down: embeddings → encoder layers (self-attention, feed-forward) → pooler.
 * Parameter names are Hugging Face's checkpoint keys without the "bert." prefix.
 *
 * Shapes: B = batch, T = tokens, H = hidden size, nh = heads, hs = H / nh.
 */
export interface BertInputs {
  inputIds: tf.Tensor2D; // [B, T] int32
  tokenTypeIds: tf.Tensor2D; // [B, T] int32
  attentionMask: tf.Tensor2D; // [B, T] 1 = token, 0 = padding
  /** The ids on the host, where the batch came from: the embedding gradient sums in a fixed order with them. */
  host?: { inputIds: Int32Array; tokenTypeIds: Int32Array };
  /** [B, T, H] in place of the word embeddings of `inputIds` (integrated gradients interpolate them). */
  wordEmbeddings?: tf.Tensor3D;
}

export interface BertOutputs {
  lastHiddenState: tf.Tensor3D; // [B, T, H]
  pooled: tf.Tensor2D; // [B, H]
}

/**
 * Added to attention scores at padding positions. Finite on purpose: WebGPU shaders may assume no
 * NaN/Inf, and exp(-1e4) is 0 in float32 anyway, so outputs equal Hugging Face's finfo.min mask.
 */
const MASK_VALUE = -1e4;

export class BertModel {
  readonly config: BertConfig;
  readonly params: Map<string, tf.Variable>;
  /** LoRA's low-rank updates of the encoder's linear layers, when a run uses LoRA (lora.ts). */
  lora: LoraWeights | null = null;

  /** `weights` must hold every backbone tensor; missing pooler weights are initialized as HF does. */
  constructor(config: BertConfig, weights: Map<string, HostTensor>, seed = 0) {
    // A copy, frozen: nothing a run does can change the checkpoint's config for the next run.
    this.config = Object.freeze({ ...config });
    this.params = new Map();
    let k = 0;
    for (const [name, shape] of bertParameterShapes(config)) {
      const w = weights.get(name);
      const init = w
        ? tf.tensor(w.data, w.shape)
        : initialValue(name, shape, config.initializer_range, seed + k++);
      // Unnamed: TF.js variable names are global, and two models may be alive at once.
      this.params.set(name, tf.variable(init, true));
      init.dispose();
    }
  }

  /** A model with fresh weights (training from scratch, tests). */
  static random(config: BertConfig, seed = 0): BertModel {
    return new BertModel(config, new Map(), seed);
  }

  private p(name: string): tf.Variable {
    const v = this.params.get(name);
    if (!v) throw new Error(`BertModel has no parameter ${name}`);
    return v;
  }

  /** Inference without `dropout`; training with it (the run's rates and seeds). */
  forward(x: BertInputs, dropout: DropoutPass | null = null): BertOutputs {
    const [, seqLen] = x.inputIds.shape;
    if (seqLen > this.config.max_position_embeddings) {
      throw new TabTuneError(
        'usage',
        `sequences of ${seqLen} tokens exceed the model's max_position_embeddings (${this.config.max_position_embeddings}). Lower the max length.`,
      );
    }
    return tf.tidy(() => {
      let h = this.embeddings(x, dropout);
      const mask = extendedAttentionMask(x.attentionMask);
      for (let i = 0; i < this.config.num_hidden_layers; i++) h = this.layer(i, h, mask, dropout);
      return { lastHiddenState: h, pooled: this.pooler(h) };
    });
  }

  // --- 1. Embeddings: word + position + token type, then LayerNorm and dropout ---
  private embeddings(x: BertInputs, dropout: DropoutPass | null): tf.Tensor3D {
    const [, seqLen] = x.inputIds.shape;
    const table = (name: string) => this.p(`embeddings.${name}.weight`) as tf.Tensor2D;
    const words = x.wordEmbeddings ?? embeddingLookup(table('word_embeddings'), x.inputIds, x.host?.inputIds); // [B, T, H]
    const at = Int32Array.from({ length: seqLen }, (_, i) => i);
    const positions = embeddingLookup(table('position_embeddings'), tf.tensor1d(at, 'int32'), at); // [T, H]
    const types = embeddingLookup(table('token_type_embeddings'), x.tokenTypeIds, x.host?.tokenTypeIds); // [B, T, H]
    const sum = words.add(positions).add(types) as tf.Tensor3D;
    return maybeDropout(this.layerNorm(sum, 'embeddings.LayerNorm'), dropout, (r) => r.hidden);
  }

  // --- 2. One encoder layer: attention block, then feed-forward block, each with residual + LayerNorm ---
  private layer(i: number, h: tf.Tensor3D, mask: tf.Tensor4D, dropout: DropoutPass | null): tf.Tensor3D {
    const p = `encoder.layer.${i}`;
    const context = this.selfAttention(`${p}.attention.self`, h, mask, dropout);
    const attnOut = maybeDropout(
      this.linear(context, `${p}.attention.output.dense`, dropout),
      dropout,
      (r) => r.hidden,
    );
    const a = this.layerNorm(attnOut.add(h), `${p}.attention.output.LayerNorm`);
    const inter = activation(this.linear(a, `${p}.intermediate.dense`, dropout), this.config.hidden_act); // [B, T, I]
    const out = maybeDropout(this.linear(inter, `${p}.output.dense`, dropout), dropout, (r) => r.hidden);
    return this.layerNorm(out.add(a), `${p}.output.LayerNorm`);
  }

  // Scaled dot-product attention over nh heads.
  private selfAttention(
    p: string,
    h: tf.Tensor3D,
    mask: tf.Tensor4D,
    dropout: DropoutPass | null,
  ): tf.Tensor3D {
    const [b, t, hidden] = h.shape;
    const nh = this.config.num_attention_heads;
    const hs = hidden / nh;
    const heads = (name: string) =>
      this.linear(h, `${p}.${name}`, dropout).reshape([b, t, nh, hs]).transpose([0, 2, 1, 3]) as tf.Tensor4D; // [B, nh, T, hs]
    const q = heads('query');
    const k = heads('key');
    const v = heads('value');
    const scores = matMulBT(q, k); // q·kᵀ: [B, nh, T, T]
    const probs = maybeDropout(attentionSoftmax(scores, mask, Math.sqrt(hs)), dropout, (r) => r.attention);
    const context = matMul(probs, v); // [B, nh, T, hs]
    return context.transpose([0, 2, 1, 3]).reshape([b, t, hidden]) as tf.Tensor3D;
  }

  // --- 3. Pooler: tanh(dense(hidden state of [CLS])) ---
  private pooler(h: tf.Tensor3D): tf.Tensor2D {
    const [b, , hidden] = h.shape;
    const cls = h.slice([0, 0, 0], [b, 1, hidden]).reshape([b, hidden]) as tf.Tensor2D;
    return tf.tanh(this.linear(cls, 'pooler.dense'));
  }

  // --- building blocks ---
  /**
   * y = x Wᵀ + b with W stored [out, in] as in PyTorch, plus LoRA's update where the layer has one (with LoRA's
   * dropout on its input when training). x: [..., in] → [..., out].
   */
  linear<R extends tf.Rank>(x: tf.Tensor<R>, name: string, dropout: DropoutPass | null = null): tf.Tensor<R> {
    const w = this.p(`${name}.weight`);
    const inDim = x.shape[x.shape.length - 1] as number;
    const outDim = w.shape[0] as number;
    const flat = x.reshape([-1, inDim]) as tf.Tensor2D;
    const bias = this.p(`${name}.bias`) as tf.Tensor1D;
    // With LoRA every base weight is frozen: no gradient for W and b is formed.
    const base = this.lora
      ? linearFrozen(flat, w as tf.Tensor2D, bias)
      : linear(flat, w as tf.Tensor2D, bias);
    const y = this.lora?.adapts(name) ? base.add(this.lora.delta(flat, name, dropout)) : base;
    return y.reshape([...x.shape.slice(0, -1), outDim]) as tf.Tensor<R>;
  }

  /** The weights with LoRA's updates merged in (W + scaling · B·A): a plain BERT that computes the same. */
  async mergedWeights(): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, v] of this.params) {
      const module = name.replace(/\.weight$/, '');
      const merged =
        this.lora?.adapts(module) && name.endsWith('.weight')
          ? this.lora.merged(module, v as tf.Tensor2D)
          : null;
      out.set(name, { shape: v.shape, data: (await (merged ?? v).data()) as Float32Array });
      merged?.dispose();
    }
    return out;
  }

  private layerNorm<R extends tf.Rank>(x: tf.Tensor<R>, name: string): tf.Tensor<R> {
    return layerNorm(x, this.p(`${name}.weight`), this.p(`${name}.bias`), this.config.layer_norm_eps);
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
    this.lora?.dispose();
    this.lora = null;
  }
}

/** [B, T] 1/0 → [B, 1, 1, T] additive mask: 0 where attended, MASK_VALUE at padding. */
function extendedAttentionMask(mask: tf.Tensor2D): tf.Tensor4D {
  const [b, t] = mask.shape;
  return tf.scalar(1).sub(mask.toFloat()).mul(MASK_VALUE).reshape([b, 1, 1, t]);
}

function activation<R extends tf.Rank>(x: tf.Tensor<R>, act: BertConfig['hidden_act']): tf.Tensor<R> {
  switch (act) {
    case 'gelu': // exact: x · Φ(x)
      return gelu(x);
    case 'gelu_new': // tanh approximation (GPT-2)
      return x.mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1)).mul(0.5);
    case 'relu':
      return tf.relu(x);
  }
}

/** transformers' _init_weights: Linear/Embedding ~ N(0, range), biases 0, LayerNorm 1/0. */
function initialValue(name: string, shape: number[], range: number, seed: number): tf.Tensor {
  if (name.endsWith('LayerNorm.weight')) return tf.ones(shape);
  if (name.endsWith('.bias')) return tf.zeros(shape);
  return tf.randomNormal(shape, 0, range, 'float32', seed);
}
