import type { HostTensor } from '../checkpoint/rawTensor';
import { TabTuneError } from '../errors';
import type { BertConfig } from '../model/config';
import { GraphBuilder } from './graph';
import { quantizeRows, transpose } from './quantize';

/**
 * BertForSequenceClassification as an ONNX graph, read top-down like model/bert.ts: embeddings → encoder layers
 * (self-attention, feed-forward) → pooler → classifier. Inputs `input_ids`, `attention_mask`, `token_type_ids`
 * (int64, [batch_size, sequence_length]); output `logits` [batch_size, num_labels] — what transformers.js and ONNX
 * Runtime expect of a text-classification model.
 *
 * `quantized`: the matrix products run on int8 weights (one scale per output column) with the activations quantized
 * to uint8 as they come (DynamicQuantizeLinear → MatMulInteger, as ONNX Runtime's dynamic quantization writes them),
 * and the word and position embeddings are stored as int8 with one scale per row: about a quarter of the size.
 *
 * `weights` are the checkpoint's tensors under TabTune's names ("embeddings.…", "encoder.layer.0.…", "pooler.…",
 * "classifier.…"; the "bert." prefix dropped).
 */
export function bertOnnx(
  config: BertConfig,
  weights: ReadonlyMap<string, HostTensor>,
  options: { quantized: boolean; docString?: string },
): Uint8Array {
  const graph = new BertGraph(config, weights, options.quantized);
  graph.build();
  return graph.g.model(options.docString ?? 'BertForSequenceClassification, exported by TabTune');
}

class BertGraph {
  readonly g = new GraphBuilder();

  constructor(
    private readonly config: BertConfig,
    private readonly weights: ReadonlyMap<string, HostTensor>,
    private readonly quantized: boolean,
  ) {}

  build(): void {
    const { g } = this;
    const numLabels = this.w('classifier.weight').shape[0]!;
    const dims = ['batch_size', 'sequence_length'];
    const ids = g.input('input_ids', 'int64', dims);
    const mask = g.input('attention_mask', 'int64', dims);
    const types = g.input('token_type_ids', 'int64', dims);
    let h = this.embeddings(ids, types);
    const maskBias = this.maskBias(mask);
    for (let i = 0; i < this.config.num_hidden_layers; i++) h = this.layer(i, h, maskBias);
    const pooled = this.pooler(h);
    g.output(this.linear(pooled, 'classifier'), 'logits', 'float32', ['batch_size', numLabels]);
  }

  // --- 1. Embeddings: word + position + token type, then LayerNorm ---
  private embeddings(ids: string, types: string): string {
    const { g } = this;
    const seqLen = g.op('Gather', [
      g.op('Shape', [ids]),
      g.constant('axis_1', 'int64', [], BigInt64Array.of(1n)),
    ]);
    const positions = g.op('Range', [
      g.constant('zero_i64', 'int64', [], BigInt64Array.of(0n)),
      seqLen,
      g.constant('one_i64', 'int64', [], BigInt64Array.of(1n)),
    ]); // [T]
    const sum = g.op('Add', [
      g.op('Add', [this.lookup('word_embeddings', ids), this.lookup('position_embeddings', positions)]),
      g.op('Gather', [this.table('token_type_embeddings'), types]),
    ]);
    return this.layerNorm(sum, 'embeddings.LayerNorm'); // [B, T, H]
  }

  /** The additive mask, [B, 1, 1, T]: 0 where attended, −1e4 at padding (model/bert.ts's MASK_VALUE). */
  private maskBias(mask: string): string {
    const { g } = this;
    const padding = g.op('Sub', [g.scalar('one', 1), g.op('Cast', [mask], { to: { int: FLOAT } })]);
    return g.op('Unsqueeze', [
      g.op('Mul', [padding, g.scalar('mask_value', -1e4)]),
      g.ints('mask_axes', [1, 2]),
    ]);
  }

  // --- 2. One encoder layer: attention block, then feed-forward block, each with residual + LayerNorm ---
  private layer(i: number, h: string, maskBias: string): string {
    const { g } = this;
    const p = `encoder.layer.${i}`;
    const context = this.selfAttention(`${p}.attention.self`, h, maskBias, i);
    const a = this.layerNorm(
      g.op('Add', [this.linear(context, `${p}.attention.output.dense`), h]),
      `${p}.attention.output.LayerNorm`,
    );
    const inter = activation(g, this.linear(a, `${p}.intermediate.dense`), this.config.hidden_act);
    return this.layerNorm(g.op('Add', [this.linear(inter, `${p}.output.dense`), a]), `${p}.output.LayerNorm`);
  }

  // Scaled dot-product attention over nh heads.
  private selfAttention(p: string, h: string, maskBias: string, i: number): string {
    const { g, config } = this;
    const nh = config.num_attention_heads;
    const hs = config.hidden_size / nh;
    const headShape = g.ints(`${p}.head_shape`, [0, 0, nh, hs]);
    const heads = (name: string, perm: number[]) =>
      g.op('Transpose', [g.op('Reshape', [this.linear(h, `${p}.${name}`), headShape])], {
        perm: { ints: perm },
      });
    const q = heads('query', [0, 2, 1, 3]); // [B, nh, T, hs]
    const kT = heads('key', [0, 2, 3, 1]); // [B, nh, hs, T]
    const v = heads('value', [0, 2, 1, 3]);
    const scale = g.scalar(`${p}.sqrt_head_size`, Math.sqrt(hs));
    const scores = g.op('Add', [g.op('Div', [g.op('MatMul', [q, kT]), scale]), maskBias]); // [B, nh, T, T]
    const probs = g.op('Softmax', [scores], { axis: { int: -1 } });
    const context = g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: { ints: [0, 2, 1, 3] } });
    return g.op('Reshape', [context, g.ints(`encoder.layer.${i}.hidden_shape`, [0, 0, config.hidden_size])]);
  }

  // --- 3. Pooler: tanh(dense(hidden state of [CLS])) ---
  private pooler(h: string): string {
    const { g } = this;
    const cls = g.op('Gather', [h, g.constant('cls_index', 'int64', [], BigInt64Array.of(0n))], {
      axis: { int: 1 },
    }); // [B, H]
    return g.op('Tanh', [this.linear(cls, 'pooler.dense')]);
  }

  // --- building blocks ---
  private w(name: string): HostTensor {
    const t = this.weights.get(name);
    if (!t)
      throw new TabTuneError(
        'checkpoint',
        `The model has no tensor ${name}, so it cannot be exported to ONNX.`,
      );
    return t;
  }

  /**
   * y = x Wᵀ + b, W stored [out, in] as in PyTorch. Quantized: W as int8 with one scale per output, the input
   * quantized to uint8 as it comes (DynamicQuantizeLinear), the product in integers (MatMulInteger), then scaled.
   */
  private linear(x: string, name: string): string {
    const { g } = this;
    const { shape, data } = this.w(`${name}.weight`);
    const [out, inDim] = shape as [number, number];
    const bias = g.constant(`${name}.bias`, 'float32', [out], this.w(`${name}.bias`).data);
    if (!this.quantized) {
      const wt = g.constant(`${name}.weight`, 'float32', [inDim, out], transpose(data, out, inDim));
      return g.op('Add', [g.op('MatMul', [x, wt]), bias]);
    }
    const { q, scales } = quantizeRows(data, out, inDim); // rows of W [out, in], stored transposed [in, out]
    const qt = g.constant(`${name}.weight_quantized`, 'int8', [inDim, out], transposeInt8(q, out, inDim));
    const wScale = g.constant(`${name}.weight_scale`, 'float32', [out], scales);
    const wZero = g.constant(`${name}.weight_zero_point`, 'int8', [], [0]);
    const [xq, xScale, xZero] = g.node('DynamicQuantizeLinear', [x], {}, 3) as [string, string, string];
    const product = g.op('MatMulInteger', [xq, qt, xZero, wZero]);
    const scaled = g.op('Mul', [
      g.op('Cast', [product], { to: { int: FLOAT } }),
      g.op('Mul', [xScale, wScale]),
    ]);
    return g.op('Add', [scaled, bias]);
  }

  private layerNorm(x: string, name: string): string {
    const param = (p: string) =>
      this.g.constant(`${name}.${p}`, 'float32', this.w(`${name}.${p}`).shape, this.w(`${name}.${p}`).data);
    return this.g.op('LayerNormalization', [x, param('weight'), param('bias')], {
      axis: { int: -1 },
      epsilon: { float: this.config.layer_norm_eps },
    });
  }

  private table(name: string): string {
    const t = this.w(`embeddings.${name}.weight`);
    return this.g.constant(`embeddings.${name}.weight`, 'float32', t.shape, t.data);
  }

  /** Rows of an embedding table: float32, or int8 rows with one scale each when quantized. */
  private lookup(name: string, at: string): string {
    return this.quantized
      ? quantizedLookup(this.g, `embeddings.${name}.weight`, this.w(`embeddings.${name}.weight`), at)
      : this.g.op('Gather', [this.table(name), at]);
  }
}

/** ONNX's element type number for float32 (Cast's `to`). */
const FLOAT = 1;

/** The word embeddings as int8 rows with one scale each: the rows gathered, then scaled back to float. */
function quantizedLookup(g: GraphBuilder, name: string, t: HostTensor, ids: string): string {
  const [vocab, hidden] = t.shape as [number, number];
  const { q, scales } = quantizeRows(t.data, vocab, hidden);
  const rows = g.op('Gather', [g.constant(`${name}_quantized`, 'int8', [vocab, hidden], q), ids]);
  const rowScales = g.op('Gather', [g.constant(`${name}_scale`, 'float32', [vocab], scales), ids]);
  return g.op('Mul', [
    g.op('Cast', [rows], { to: { int: FLOAT } }),
    g.op('Unsqueeze', [rowScales, g.ints(`${name}_last_axis`, [-1])]),
  ]);
}

/** The feed-forward activation, as model/bert.ts computes it. */
function activation(g: GraphBuilder, x: string, act: BertConfig['hidden_act']): string {
  const half = () => g.scalar(`half_${x}`, 0.5);
  const one = () => g.scalar(`one_${x}`, 1);
  switch (act) {
    case 'gelu': // exact: x · Φ(x) = 0.5 · x · (1 + erf(x / √2))
      return g.op('Mul', [
        g.op('Mul', [
          x,
          g.op('Add', [g.op('Erf', [g.op('Div', [x, g.scalar(`sqrt2_${x}`, Math.SQRT2)])]), one()]),
        ]),
        half(),
      ]);
    case 'gelu_new': {
      // tanh approximation (GPT-2): 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
      const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
      const inner = g.op('Mul', [
        g.op('Add', [x, g.op('Mul', [cube, g.scalar(`c_${x}`, 0.044715)])]),
        g.scalar(`k_${x}`, Math.sqrt(2 / Math.PI)),
      ]);
      return g.op('Mul', [g.op('Mul', [x, g.op('Add', [g.op('Tanh', [inner]), one()])]), half()]);
    }
    case 'relu':
      return g.op('Relu', [x]);
  }
}

function transposeInt8(data: Int8Array, rows: number, cols: number): Int8Array {
  const out = new Int8Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}
