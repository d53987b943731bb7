import * as tf from '@tensorflow/tfjs';
import { fillDropoutMask } from '../core/model/dropoutMask';
import { dropoutMask } from '../core/model/dropout';
import { gelu } from '../core/model/gelu';
import { attentionSoftmax } from '../core/model/attentionSoftmax';
import { layerNorm } from '../core/model/layerNorm';
import { linear } from '../core/model/linear';
import { columnSums, plainMatMul } from '../core/model/matmul';
import { AdamW } from '../core/train/adamw';
import { addMany } from '../core/addMany';
import { syntheticTraining } from '../core/runtime/synthetic';
import { scratchConfig } from '../core/model/scratch';
import type { BertConfig } from '../core/model/config';
import { sumOfSquaresAll, sumOfSquaresOf } from '../core/webgpu/webgpuKernels';
import { scatterAddRows } from '../core/model/embedding';
import { declaredKernels, runsOn } from './checkPlaces';
import { mutationName, ourKernels, withKernelsWrapped } from './kernelSwap';

/**
 * Numerical checks of TabTune's own ops and kernels on the active backend, each against an independent
 * composite: values and every gradient within a tolerance. Vitest runs them on cpu and wasm
 * (checks.test.ts); the checks page (/checks.html) runs them on this browser's WebGPU and WASM, and
 * e2e/checks.spec.ts on WebGPU (SwiftShader). Anyone can open the page to check their own GPU.
 */
export interface CheckResult {
  name: string;
  backend: string;
  /** The largest absolute difference found. */
  maxDiff: number;
  tolerance: number;
  ok: boolean;
  /** TabTune's kernels the check took on this backend. */
  taken: string[];
}

const TOLERANCE = 1e-5;

const maxDiff = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.max(tf.abs(tf.sub(a, b)));

/** A scalar's value, read asynchronously (WebGPU reads that way), and the scalar disposed. */
async function valueOf(t: tf.Scalar): Promise<number> {
  const v = (await t.data())[0] as number;
  t.dispose();
  return v;
}

/** Value and gradients of `ours` against autodiff through `composite`, under a loss weighting every output. */
function gradCheck(
  ours: (...xs: tf.Tensor[]) => tf.Tensor,
  composite: (...xs: tf.Tensor[]) => tf.Tensor,
  makeInputs: () => tf.Tensor[],
): Promise<number> {
  const worst = tf.tidy(() => {
    const inputs = makeInputs();
    const out = composite(...inputs);
    const w = tf.randomNormal(out.shape, 0, 1, 'float32', 99);
    const loss =
      (f: typeof ours) =>
      (...xs: tf.Tensor[]) =>
        tf.sum(tf.mul(f(...xs), w));
    const a = tf.grads(loss(ours))(inputs);
    const b = tf.grads(loss(composite))(inputs);
    const diffs = [maxDiff(ours(...inputs), out), ...a.map((g, i) => maxDiff(g, b[i] as tf.Tensor))];
    return tf.max(tf.stack(diffs)) as tf.Scalar;
  });
  return valueOf(worst);
}

const normal = (shape: number[], seed: number, mean = 0, sd = 1) =>
  tf.randomNormal(shape, mean, sd, 'float32', seed);

/** Every weight of a fresh model of `config` after four of the trainer's own steps (batch 8 × 24 tokens), on the host. */
async function afterFourSteps(config: BertConfig): Promise<Map<string, Float32Array>> {
  const training = syntheticTraining(config, 8, 24);
  for (let k = 0; k < 4; k++) training.run(k).dispose();
  const weights = new Map<string, Float32Array>();
  for (const [name, w] of training.model.namedParameters())
    weights.set(name, (await w.data()) as Float32Array);
  training.dispose();
  return weights;
}

/** The largest difference between two models' weights, name by name. */
function largestDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let worst = 0;
  for (const [name, values] of a) {
    const other = b.get(name) as Float32Array;
    values.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - other[i]!))));
  }
  return worst;
}

const CHECKS: Record<string, () => Promise<number> | number> = {
  'linear: value and ∂x, ∂W, ∂b': () =>
    gradCheck(
      (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
      (x, w, b) => tf.matMul(x as tf.Tensor, w as tf.Tensor, false, true).add(b as tf.Tensor),
      () => [normal([40, 24], 1), normal([36, 24], 2), normal([36], 3)],
    ),
  'matmul (attention, 4-D): value and both gradients': () =>
    gradCheck(
      (a, b) => plainMatMul(a as tf.Tensor4D, b as tf.Tensor4D),
      (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor),
      () => [normal([3, 2, 16, 8], 4), normal([3, 2, 8, 16], 5)],
    ),
  'layerNorm: value and ∂x, ∂γ, ∂β': () =>
    gradCheck(
      (x, g, b) => layerNorm(x as tf.Tensor, g as tf.Tensor, b as tf.Tensor, 1e-12),
      (x, g, b) => {
        const { mean, variance } = tf.moments(x as tf.Tensor, -1, true);
        return (x as tf.Tensor)
          .sub(mean)
          .mul(tf.rsqrt(variance.add(1e-12)))
          .mul(g as tf.Tensor)
          .add(b as tf.Tensor);
      },
      () => [normal([3, 5, 32], 6, 0.5, 2), normal([32], 7, 1, 0.3), normal([32], 8, 0, 0.3)],
    ),
  'gelu: value and gradient from −8 to 8': () =>
    gradCheck(
      (x) => gelu(x as tf.Tensor),
      (x) => (x as tf.Tensor).mul(tf.erf((x as tf.Tensor).mul(Math.SQRT1_2)).add(1)).mul(0.5),
      () => [tf.linspace(-8, 8, 2001)],
    ),
  'attention softmax (scale, padding mask, softmax): value and gradient': async () => {
    // Two entries, three heads, 20 query and 20 key positions; the second entry's last 7 keys are padding.
    const mask = tf.tensor4d(
      Array.from({ length: 40 }, (_, j) => (j >= 33 ? -10_000 : 0)),
      [2, 1, 1, 20],
    );
    const worst = await gradCheck(
      (s) => attentionSoftmax(s as tf.Tensor4D, mask, Math.sqrt(8)),
      (s) => tf.softmax((s as tf.Tensor).div(Math.sqrt(8)).add(mask)),
      () => [normal([2, 3, 20, 20], 9, 0, 4)],
    );
    mask.dispose();
    return worst;
  },
  'column sums (bias gradients), 3 shapes': async () => {
    let worst = 0;
    for (const shape of [
      [3, 5],
      [1000, 37],
      [130, 64],
    ] as const) {
      const x = normal([...shape], 30 + shape[0]);
      // Per summed value: float32 sums of many rows differ in their last bits with the order of the sum.
      const d = tf.tidy(() => maxDiff(columnSums(x as tf.Tensor2D), tf.sum(x, 0)).div(shape[0]));
      worst = Math.max(worst, await valueOf(d as tf.Scalar));
      x.dispose();
    }
    return worst;
  },
  'sum of squares (gradient norms), 5 shapes of ranks 1 and 2': async () => {
    let worst = 0;
    for (const shape of [[1], [1000], [70_001], [30, 7], [2000, 32]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = normal(shape, 20 + n);
      const d = tf.tidy(() => tf.abs(tf.sub(sumOfSquaresOf(x), tf.sum(tf.square(x)))).div(n));
      worst = Math.max(worst, await valueOf(d as tf.Scalar));
      x.dispose();
    }
    return worst;
  },
  'sum of squares of many tensors at once (the gradient norm), 10 tensors in two dispatches': async () => {
    const shapes = [
      [1],
      [1000],
      [70_001],
      [30, 7],
      [2000, 32],
      [3],
      [128, 128],
      [5, 5, 5],
      [64],
      [30_522, 16],
    ];
    const xs = shapes.map((shape, k) => normal(shape, 60 + k));
    const n = shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
    const d = tf.tidy(() =>
      tf.abs(tf.sub(sumOfSquaresAll(xs), addMany(xs.map((x) => tf.sum(tf.square(x)))))).div(n),
    );
    const worst = await valueOf(d as tf.Scalar);
    tf.dispose(xs);
    return worst;
  },
  'dropout mask: equal to the pure function': async () => {
    const t = dropoutMask([4, 33, 7], 0.1, 1234);
    const want = new Float32Array(4 * 33 * 7);
    fillDropoutMask(want, 0.1, 1234);
    const got = await t.data();
    t.dispose();
    return Math.max(...Array.from(got, (x, i) => Math.abs(x - (want[i] as number))));
  },
  'AdamW: four steps (clipping scale, decay, a skipped non-finite step; 1,000 and 8.4 million values) against the CPU composite':
    async () => {
      // 1,000 values, and on WebGPU 8.4 million (more workgroups than one dimension of a dispatch holds); the
      // parameter is made from a tensor that stays alive, which the update must leave as it was.
      const steps = async (backend: string, n: number) => {
        const previous = tf.getBackend();
        await tf.setBackend(backend);
        const init = normal([n], 5);
        const p = tf.variable(init);
        const before = await init.data();
        const opt = new AdamW(new Map([['w', p]]));
        for (let k = 0; k < 4; k++) {
          const [g, s, ok] = [normal([n], 10 + k), tf.scalar(0.7), tf.scalar(k !== 2, 'bool')];
          opt.apply(new Map([['w', g]]), 0.01, s, ok);
          tf.dispose([g, s, ok]);
        }
        const values = await p.data();
        const after = await init.data();
        let touched = 0;
        for (let i = 0; i < n; i++)
          touched = Math.max(touched, Math.abs((after[i] as number) - (before[i] as number)));
        opt.dispose();
        tf.dispose([p, init]);
        await tf.setBackend(previous);
        return { values, touched };
      };
      let worst = 0;
      // The 2-D dispatch is WebGPU's alone: elsewhere the large case would only slow the test down.
      for (const n of tf.getBackend() === 'webgpu' ? [1000, 8_400_000] : [1000]) {
        const ours = await steps(tf.getBackend(), n);
        const reference = await steps('cpu', n);
        let d = ours.touched;
        for (let i = 0; i < n; i++)
          d = Math.max(d, Math.abs((ours.values[i] as number) - (reference.values[i] as number)));
        worst = Math.max(worst, d);
      }
      return worst;
    },
  'sum of 41 tensors (a squared norm per BERT-tiny tensor, for clipping) against adding them one by one':
    async () => {
      const parts = Array.from({ length: 41 }, (_, i) => normal([3, 5], 60 + i));
      const d = tf.tidy(() =>
        maxDiff(
          addMany(parts),
          parts.reduce((a, b) => tf.add(a, b)),
        ),
      );
      tf.dispose(parts);
      return valueOf(d);
    },
  // The embedding gradient as training computes it (on WebGPU: each row summed in a fixed order), against a plain
  // loop on the host; many positions share an id, as token types and common words do.
  'embedding gradient (rows scatter-added from host ids) against a host loop': async () => {
    const [n, width, rows] = [300, 16, 40];
    const ids = Int32Array.from({ length: n }, (_, k) => (k * 7) % rows);
    const g = Float32Array.from({ length: n * width }, (_, i) => Math.sin(i * 0.37));
    const want = new Float32Array(rows * width);
    ids.forEach((id, k) => {
      for (let j = 0; j < width; j++) want[id * width + j]! += g[k * width + j]!;
    });
    const d = tf.tidy(() =>
      maxDiff(
        scatterAddRows(tf.tensor2d(g, [n, width]), tf.tensor1d(ids, 'int32'), rows, ids),
        tf.tensor2d(want, [rows, width]),
      ),
    );
    return valueOf(d);
  },
  // The whole step as a run takes it, several steps in flight without a read between them: what found TF.js's
  // WebGPU AddN failing silently with more inputs than WebGPU binds (addMany.ts), which no single op showed.
  "four training steps of a small BERT (the trainer's own step), every weight against the CPU": async () => {
    const config = scratchConfig(2000, {
      hidden_size: 32,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      intermediate_size: 64,
      max_position_embeddings: 64,
    });
    const steps = async (backend: string) => {
      const previous = tf.getBackend();
      await tf.setBackend(backend);
      const weights = await afterFourSteps(config);
      await tf.setBackend(previous);
      return weights;
    };
    return largestDifference(await steps(tf.getBackend()), await steps('cpu'));
  },
  // Two runs of one seed on this backend end with the same weights, to the bit (WebGPU's embedding gradient used to
  // add with atomics, in whatever order the GPU ran them). 50 ids over 192 positions: each id repeats.
  'same seed twice: four training steps end with identical weights': async () => {
    const config = scratchConfig(50, {
      hidden_size: 32,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      intermediate_size: 64,
      max_position_embeddings: 64,
    });
    return largestDifference(await afterFourSteps(config), await afterFourSteps(config));
  },
};

/** Every check's name, in the order they run. */
export const CHECK_NAMES = Object.keys(CHECKS);

/** The checks that run on `backend`: those whose code differs from their reference there (`runsOn`). */
export function checksFor(backend: string): string[] {
  return CHECK_NAMES.filter((n) => runsOn(n, backend));
}

/** Checks that hold exactly, not within TOLERANCE. */
const EXACT = new Set(['same seed twice: four training steps end with identical weights']);

/** One check on the active backend, its kernels wrapped (counted; `mutate` written wrong). */
async function runOne(name: string, mutate: string | null = null): Promise<CheckResult> {
  const backend = tf.getBackend();
  const run = CHECKS[name]!;
  const { result: diff, calls } = await withKernelsWrapped(ourKernels(backend), async () => run(), mutate);
  const tolerance = EXACT.has(name) ? 0 : TOLERANCE;
  const taken = [...calls.keys()].sort();
  return { name, backend, maxDiff: diff, tolerance, ok: diff <= tolerance, taken };
}

/** Every check whose code differs from its reference on the active backend (`checksFor`). */
export async function runChecks(): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const name of checksFor(tf.getBackend())) results.push(await runOne(name));
  return results;
}

/** A kernel written wrong (`mutationName`), and the first check that takes it, which must then fail. */
export interface MutationResult extends CheckResult {
  kernel: string;
  mutation: string;
}

/** Each kernel of ours the checks declare on the active backend, written wrong under its first check. */
export async function runMutations(): Promise<MutationResult[]> {
  const backend = tf.getBackend();
  const results: MutationResult[] = [];
  const kernels = [...new Set(CHECK_NAMES.flatMap((n) => declaredKernels(n, backend)))].sort();
  for (const kernel of kernels) {
    const check = CHECK_NAMES.find((n) => declaredKernels(n, backend).includes(kernel))!;
    results.push({ kernel, mutation: mutationName(kernel), ...(await runOne(check, kernel)) });
  }
  return results;
}
