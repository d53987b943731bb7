import * as tf from '@tensorflow/tfjs';
import { DROPOUT_MASK, hasKernel, runKernel } from '../kernelRegistry';
import { fillDropoutMask } from './dropoutMask';
import type { BertConfig } from './config';

/** Dropout probabilities of one training run: hidden states, attention probabilities, the head's input. */
export interface DropoutRates {
  hidden: number;
  attention: number;
  classifier: number;
}

/** The checkpoint's own rates (HF: classifier_dropout when set, else hidden_dropout_prob), or one for all. */
export function dropoutRates(config: BertConfig, override: number | null): DropoutRates {
  if (override !== null) return { hidden: override, attention: override, classifier: override };
  const head = (config as { classifier_dropout?: number | null }).classifier_dropout;
  return {
    hidden: config.hidden_dropout_prob,
    attention: config.attention_probs_dropout_prob,
    classifier: head ?? config.hidden_dropout_prob,
  };
}

/**
 * The dropout of one training forward pass. Passing one turns training mode on; none means inference.
 * Each mask's seed derives from the run seed, the optimizer step, the micro-batch and the call's place in
 * the pass, so a run is reproducible on a backend and no state outlives the pass (nothing to reset).
 */
export class DropoutPass {
  private calls = 0;

  constructor(
    readonly rates: DropoutRates,
    private readonly seed: number,
  ) {}

  static forStep(rates: DropoutRates, runSeed: number, step: number, microBatch: number): DropoutPass {
    // Distinct seeds per (step, micro-batch); 1,000,003 calls per pass is far more than any BERT makes.
    return new DropoutPass(rates, runSeed * 7_919 + (step * 64 + microBatch) * 1_000_003);
  }

  apply<R extends tf.Rank>(x: tf.Tensor<R>, rate: number): tf.Tensor<R> {
    if (rate <= 0) return x;
    this.calls++;
    return tf.mul(x, dropoutMask(x.shape, rate, this.seed + this.calls));
  }
}

/**
 * Inverted dropout's mask: each entry 1/(1 − rate) with probability 1 − rate, else 0, from a counter-based
 * hash of (seed, index) — the same mask on every backend, drawn in one pass with no generator state. On
 * WASM it is written straight into the backend's memory, on WebGPU made by a WGSL kernel (wasm/wasmKernels.ts,
 * webgpu/webgpuKernels.ts); elsewhere it is drawn here and uploaded, as tf.dropout does with its own generator.
 */
export function dropoutMask(shape: number[], rate: number, seed: number): tf.Tensor {
  if (hasKernel(DROPOUT_MASK)) return runKernel<tf.Tensor>(DROPOUT_MASK, {}, { shape, rate, seed });
  const mask = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fillDropoutMask(mask, rate, seed);
  return tf.tensor(mask, shape);
}

/** Dropout at `rate` when training (a pass is given), identity at inference. */
export function maybeDropout<R extends tf.Rank>(
  x: tf.Tensor<R>,
  pass: DropoutPass | null,
  pick: (r: DropoutRates) => number,
): tf.Tensor<R> {
  return pass === null ? x : pass.apply(x, pick(pass.rates));
}
