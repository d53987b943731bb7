import { settingError } from '../train/settingNames';
import * as tf from '@tensorflow/tfjs';
import type { HostTensor } from '../checkpoint/rawTensor';
import { TabTuneError } from '../errors';
import type { BertConfig } from './config';
import type { DropoutPass } from './dropout';
import { linearNoBias } from './linear';

/**
 * LoRA (Hu et al., 2021) as Hugging Face PEFT computes it: a frozen linear layer y = x·Wᵀ + b gains a trainable
 * low-rank update, y + (dropout(x)·Aᵀ)·Bᵀ · scaling, with A [r, in] and B [out, r]; scaling = alpha / r, or
 * alpha / √r when rank-stabilised (rsLoRA). A starts uniform in ±1/√in (kaiming-uniform with a = √5, PEFT's
 * default) and B at zero, so training starts from the base model exactly.
 */
export interface LoraConfig {
  r: number;
  alpha: number;
  dropout: number;
  /** Module names matched as PEFT matches them: the whole name, or its end after a dot. */
  targets: string[];
  rslora: boolean;
}

/** The linear layers LoRA may target ("output.dense" also matches "attention.output.dense", as in PEFT). */
export const LORA_TARGETS = [
  'query',
  'key',
  'value',
  'attention.output.dense',
  'intermediate.dense',
  'output.dense',
] as const;

export const DEFAULT_LORA: LoraConfig = {
  r: 8,
  alpha: 16,
  dropout: 0.05,
  targets: ['query', 'value'],
  rslora: false,
};

export function loraScaling(c: LoraConfig): number {
  return c.rslora ? c.alpha / Math.sqrt(c.r) : c.alpha / c.r;
}

/** The encoder's linear layers (names without "bert.") and their [out, in] shapes. */
export function encoderLinears(config: BertConfig): Array<[string, [number, number]]> {
  const h = config.hidden_size;
  const i = config.intermediate_size;
  const out: Array<[string, [number, number]]> = [];
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = `encoder.layer.${l}`;
    out.push(
      [`${p}.attention.self.query`, [h, h]],
      [`${p}.attention.self.key`, [h, h]],
      [`${p}.attention.self.value`, [h, h]],
      [`${p}.attention.output.dense`, [h, h]],
      [`${p}.intermediate.dense`, [i, h]],
      [`${p}.output.dense`, [h, i]],
    );
  }
  return out;
}

/** Whether PEFT's rule matches `module` to `target`: equal, or the module's name ends with "." + target. */
export function matchesTarget(module: string, target: string): boolean {
  return module === target || module.endsWith(`.${target}`);
}

/** The modules (names without "bert.") LoRA adapts, in the model's order. */
export function loraModules(
  config: BertConfig,
  targets: readonly string[],
): Array<[string, [number, number]]> {
  return encoderLinears(config).filter(([m]) => targets.some((t) => matchesTarget(m, t)));
}

export function validateLora(c: LoraConfig): LoraConfig {
  if (!(Number.isInteger(c.r) && c.r >= 1))
    throw settingError('lora.r', `must be a whole number ≥ 1 (got ${c.r}).`);
  if (!(c.alpha > 0)) throw settingError('lora.alpha', `must be > 0 (got ${c.alpha}).`);
  if (!(c.dropout >= 0 && c.dropout < 1))
    throw settingError('lora.dropout', `must be ≥ 0 and < 1 (got ${c.dropout}).`);
  if (c.targets.length === 0)
    throw settingError('lora.targets', `must name at least one layer (${LORA_TARGETS.join(', ')}).`);
  for (const t of c.targets) {
    if (!(LORA_TARGETS as readonly string[]).includes(t))
      throw settingError('lora.targets', `must be among ${LORA_TARGETS.join(', ')} (got "${t}").`);
  }
  return c;
}

/**
 * The settings, and a rank no larger than the layers it adapts (a low-rank update of an in × out layer has rank
 * at most min(in, out); a larger r only costs memory — r = 100,000 on hidden size 128 asks gigabytes).
 */
export function checkLoraFits(bert: BertConfig, c: LoraConfig): void {
  validateLora(c);
  const smallest = Math.min(...loraModules(bert, c.targets).flatMap(([, [out, inDim]]) => [out, inDim]));
  if (c.r > smallest)
    throw settingError(
      'lora.r',
      `is ${c.r}, larger than the layers it adapts (${c.targets.join(', ')}: ${smallest} wide in this model): choose r ≤ ${smallest} (4–16 is usual).`,
    );
}

/** A LoRA tensor's name in the model ("encoder.layer.0.attention.self.query.lora_A.weight"). */
export const loraName = (module: string, which: 'A' | 'B') => `${module}.lora_${which}.weight`;

/** The LoRA weights of a BertModel: per adapted module, A [r, in] and B [out, r], as trainable variables. */
export class LoraWeights {
  readonly params = new Map<string, tf.Variable>();
  readonly scaling: number;

  private constructor(
    readonly config: LoraConfig,
    private readonly modules: Set<string>,
  ) {
    this.scaling = loraScaling(config);
  }

  /** Fresh weights as PEFT initialises them: A uniform in ±1/√in, B zeros. */
  static init(bert: BertConfig, config: LoraConfig, seed: number): LoraWeights {
    checkLoraFits(bert, config);
    const targets = loraModules(bert, config.targets);
    const w = new LoraWeights(config, new Set(targets.map(([m]) => m)));
    targets.forEach(([m, [out, inDim]], k) => {
      const bound = 1 / Math.sqrt(inDim);
      w.params.set(
        loraName(m, 'A'),
        tf.variable(
          tf.randomUniform([config.r, inDim], -bound, bound, 'float32', seed + 104_729 * (k + 1)),
          true,
        ),
      );
      w.params.set(loraName(m, 'B'), tf.variable(tf.zeros([out, config.r]), true));
    });
    return w;
  }

  /** Weights read from an adapter (names as `loraName`), each checked for its shape. */
  static fromTensors(
    bert: BertConfig,
    config: LoraConfig,
    tensors: ReadonlyMap<string, HostTensor>,
    file: string,
  ): LoraWeights {
    validateLora(config);
    const targets = loraModules(bert, config.targets);
    const w = new LoraWeights(config, new Set(targets.map(([m]) => m)));
    for (const [m, [out, inDim]] of targets) {
      for (const [which, shape] of [
        ['A', [config.r, inDim]],
        ['B', [out, config.r]],
      ] as const) {
        const t = tensors.get(loraName(m, which));
        if (!t)
          throw new TabTuneError(
            'checkpoint',
            `${file} has no tensor for ${loraName(m, which)} (LoRA on ${m}, r = ${config.r}). Export the adapter again, or check target_modules in adapter_config.json.`,
          );
        if (t.shape.join(',') !== shape.join(','))
          throw new TabTuneError(
            'checkpoint',
            `${file}: ${loraName(m, which)} has shape [${t.shape.join(', ')}], but r = ${config.r} and the layer is [${out}, ${inDim}]: [${shape.join(', ')}] is needed. Is it an adapter for another model?`,
          );
        w.params.set(loraName(m, which), tf.variable(tf.tensor(t.data, t.shape as number[]), true));
      }
    }
    return w;
  }

  adapts(module: string): boolean {
    return this.modules.has(module);
  }

  /** (dropout(x)·Aᵀ)·Bᵀ · scaling for x [n, in] — LoRA's addition to the layer's output; dropout only in training. */
  delta(x: tf.Tensor2D, module: string, pass: DropoutPass | null): tf.Tensor2D {
    const a = this.params.get(loraName(module, 'A')) as tf.Tensor2D;
    const b = this.params.get(loraName(module, 'B')) as tf.Tensor2D;
    const dropped = pass === null ? x : pass.apply(x, this.config.dropout);
    return linearNoBias(linearNoBias(dropped, a), b).mul(this.scaling);
  }

  /** W + scaling · B·A: the layer's weight with the update merged in (the merged export). */
  merged(module: string, weight: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const a = this.params.get(loraName(module, 'A')) as tf.Tensor2D;
      const b = this.params.get(loraName(module, 'B')) as tf.Tensor2D;
      return weight.add(tf.matMul(b, a).mul(this.scaling));
    });
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}
