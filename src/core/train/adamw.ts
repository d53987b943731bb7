import * as tf from '@tensorflow/tfjs';
import { ADAMW, hasKernel, runKernel, type AdamWUpdate } from '../kernelRegistry';
import { adamWInPlace, adamWInPlaceAvailable } from '../webgpu/adamw';
import { sumOfSquaresAll } from '../webgpu/webgpuKernels';
import type { HostTensor } from '../checkpoint/rawTensor';
import { TabTuneError } from '../errors';

/**
 * AdamW (Loshchilov & Hutter) exactly as torch.optim.AdamW steps it: decoupled weight decay
 * p ← p·(1 − lr·wd), then p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
 * TF.js has no AdamW, and its Adam keys moments by list position; this keeps them by name.
 *
 * Non-finite gradients (a NaN or Inf loss) leave every parameter and moment unchanged, decided on the
 * device without a synchronous read: the last good weights survive a bad step.
 */
export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** Parameters exempt from weight decay (biases and LayerNorm weights, by convention). */
  noDecay: (name: string) => boolean;
}

export const DEFAULT_ADAMW: AdamWOptions = {
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0.01,
  noDecay: (name) => name.endsWith('.bias') || name.includes('LayerNorm'),
};

export class AdamW {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  step = 0;

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    private readonly options: AdamWOptions = DEFAULT_ADAMW,
  ) {
    // tf.variable shares its initial tensor's memory; each zeros tensor is released once its variable holds it.
    const zeros = (p: tf.Tensor) => {
      const z = tf.zerosLike(p);
      const v = tf.variable(z, false);
      z.dispose();
      return v;
    };
    for (const [name, p] of params) {
      this.m.set(name, zeros(p));
      this.v.set(name, zeros(p));
    }
  }

  /**
   * Applies one update. `grads` by parameter name (missing = frozen); `scale` multiplies every gradient
   * (clipping, accumulation); `ok` is a boolean scalar — false leaves everything as it was.
   */
  apply(grads: ReadonlyMap<string, tf.Tensor>, lr: number, scale: tf.Scalar, ok: tf.Scalar): void {
    this.step++;
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    const updateOf = (name: string): AdamWUpdate => {
      const decay = this.options.noDecay(name) ? 1 : 1 - lr * weightDecay;
      return { beta1, beta2, epsilon, lr, decay, bc1, bc2 };
    };
    if (adamWInPlaceAvailable()) {
      // WebGPU: one dispatch per tensor, the parameter and its moments updated where they are (webgpu/adamw.ts).
      for (const [name, g] of grads) adamWInPlace(this.slots(name), g, scale, ok, updateOf(name));
      return;
    }
    if (hasKernel(ADAMW)) {
      // WASM: one fused kernel per tensor (wasm/wasmKernels.ts), the same formula in one kernel instead of ~18.
      for (const [name, g] of grads) {
        const [p, m, v] = this.slots(name);
        const update = updateOf(name);
        const [p1, m1, v1] = runKernel<[tf.Tensor, tf.Tensor, tf.Tensor]>(
          ADAMW,
          { p, m, v, g, scale, ok },
          update,
        );
        p.assign(p1);
        m.assign(m1);
        v.assign(v1);
        tf.dispose([p1, m1, v1]);
      }
      return;
    }
    tf.tidy(() => {
      // `ok` as a full-shape mask, built once per shape: tf.where with a scalar condition tiles it for every
      // call (4 Tiles of [30522, 128] per step were 18 % of a BERT-tiny step on WASM).
      const masks = new Map<string, tf.Tensor>();
      const okLike = (t: tf.Tensor) => {
        const key = t.shape.join('x');
        let mask = masks.get(key);
        if (!mask) masks.set(key, (mask = tf.logicalOr(tf.zeros(t.shape, 'bool'), ok)));
        return mask;
      };
      for (const [name, g0] of grads) {
        const [p, m, v] = this.slots(name);
        const keep = okLike(p);
        // A non-finite step poisons m1, v1 and p1; the selects below throw them away.
        const g = g0.mul(scale);
        const m1 = m.mul(beta1).add(g.mul(1 - beta1));
        const v1 = v.mul(beta2).add(g.square().mul(1 - beta2));
        const decay = this.options.noDecay(name) ? 1 : 1 - lr * weightDecay;
        const denom = v1.sqrt().div(Math.sqrt(bc2)).add(epsilon);
        const p1 = p.mul(decay).sub(m1.div(denom).mul(lr / bc1));
        m.assign(tf.where(keep, m1, m));
        v.assign(tf.where(keep, v1, v));
        p.assign(tf.where(keep, p1, p));
      }
    });
  }

  /** Its state for a run's checkpoint: the step count and both moments of each parameter, read from the device. */
  async save(): Promise<{ step: number; m: Map<string, HostTensor>; v: Map<string, HostTensor> }> {
    return { step: this.step, m: await readAll(this.m), v: await readAll(this.v) };
  }

  /** Takes up a saved state (a resumed run): every moment must be there, with its parameter's shape. */
  load(step: number, m: ReadonlyMap<string, HostTensor>, v: ReadonlyMap<string, HostTensor>): void {
    this.step = step;
    assignAll(this.m, m, 'AdamW first moment');
    assignAll(this.v, v, 'AdamW second moment');
  }

  /** A parameter and its two moments. */
  private slots(name: string): [tf.Variable, tf.Variable, tf.Variable] {
    return [this.params.get(name), this.m.get(name), this.v.get(name)] as [
      tf.Variable,
      tf.Variable,
      tf.Variable,
    ];
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}

/**
 * Global-norm clipping factor as torch.nn.utils.clip_grad_norm_: min(1, maxNorm / (‖g‖ + 1e-6)), for the
 * gradient g = Σ grads / `divisor` (the mean over micro-batches, without dividing every tensor first).
 * Returns [factor, norm], both scalars on the device.
 */
export function clipFactor(
  grads: readonly tf.Tensor[],
  maxNorm: number,
  divisor = 1,
): [tf.Scalar, tf.Scalar] {
  return tf.tidy(() => {
    const total = tf.sqrt(sumOfSquaresAll(grads));
    const norm = (divisor === 1 ? total : total.div(divisor)) as tf.Scalar;
    const factor = maxNorm > 0 ? (tf.minimum(1, tf.div(maxNorm, norm.add(1e-6))) as tf.Scalar) : tf.scalar(1);
    return [factor, norm];
  });
}

/** Every variable's values on the host. */
export async function readAll(vars: ReadonlyMap<string, tf.Tensor>): Promise<Map<string, HostTensor>> {
  const out = new Map<string, HostTensor>();
  for (const [name, t] of vars)
    out.set(name, { shape: [...t.shape], data: (await t.data()) as Float32Array });
  return out;
}

/** Assigns saved values to each variable. */
export function assignAll(
  vars: ReadonlyMap<string, tf.Variable>,
  saved: ReadonlyMap<string, HostTensor>,
  what: string,
): void {
  for (const [name, variable] of vars) {
    const t = savedTensor(saved, name, variable.shape, what);
    tf.tidy(() => variable.assign(tf.tensor(t.data, t.shape)));
  }
}

/** The saved tensor of `name`; a missing tensor or another shape means a corrupt or foreign state. */
export function savedTensor(
  saved: ReadonlyMap<string, HostTensor>,
  name: string,
  shape: readonly number[],
  what: string,
): HostTensor {
  const t = saved.get(name);
  if (!t || t.shape.join(',') !== shape.join(',')) {
    throw new TabTuneError(
      'checkpoint',
      `The saved run state has ${t ? `shape [${t.shape.join(', ')}]` : 'no tensor'} for the ${what} of "${name}" (the model has [${shape.join(', ')}]). It was saved from another model; start a new run.`,
    );
  }
  return t;
}
