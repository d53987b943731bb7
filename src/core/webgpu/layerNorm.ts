import * as tf from '@tensorflow/tfjs';
import { COLUMN_SUMS, runKernel } from '../kernelRegistry';
import { elementwise, perItem, runner } from './program';

/**
 * LayerNorm over rows of a float32 [rows, width] in WGSL (model/layerNorm.ts has the maths): the row
 * statistics [rows, 2] = (mean, 1/√(var + ε)) in one dispatch, one invocation per row; then y in one.
 */
export const LAYER_NORM_STATS = 'TabTuneLayerNormStats';
export const LAYER_NORM = 'TabTuneLayerNorm';
/** ∂x, one invocation per row: with g = dy·γ, (g − mean(g) − x̂·mean(g·x̂))·rstd. */
export const LAYER_NORM_DX = 'TabTuneLayerNormDx';
/** ∂γ = Σ over rows of dy·x̂, one invocation per column. */
export const LAYER_NORM_DGAMMA = 'TabTuneLayerNormDGamma';

function layerNormStats(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) {
  const x = args.inputs['x'] as tf.TensorInfo;
  const { eps } = args.attrs as { eps: number };
  const rows = x.shape[0] as number;
  const program = perItem(
    [rows, 2],
    rows,
    'tabtune_ln_stats',
    ['X'],
    `if (index >= uniforms.rows) { return; }
        let at = index * uniforms.width;
        var sum = 0.0;
        for (var j = 0; j < uniforms.width; j++) { sum += X[at + j]; }
        let mean = sum / f32(uniforms.width);
        var sq = 0.0;
        for (var j = 0; j < uniforms.width; j++) { let d = X[at + j] - mean; sq += d * d; }
        setOutputAtIndex(index * 2, mean);
        setOutputAtIndex(index * 2 + 1, inverseSqrt(sq / f32(uniforms.width) + uniforms.eps));`,
  );
  return runner(args.backend, x)(program, [x], eps);
}

function layerNormForward(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const { x, stats, gamma, beta } = args.inputs as Record<string, tf.TensorInfo>;
  const program = elementwise(
    (x as tf.TensorInfo).shape,
    'tabtune_ln_forward',
    ['X', 'STATS', 'GAMMA', 'BETA'],
    'rows : i32, width : i32, eps : f32,',
    `let r = index / uniforms.width;
          let c = index - r * uniforms.width;
          let xhat = (X[index] - STATS[r * 2]) * STATS[r * 2 + 1];
          setOutputAtIndex(index, xhat * GAMMA[c] + BETA[c]);`,
  );
  return runner(args.backend, x as tf.TensorInfo)(program, [x, stats, gamma, beta] as tf.TensorInfo[]);
}

function layerNormDx(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const { dy, x, stats, gamma } = args.inputs as Record<string, tf.TensorInfo>;
  const [rows] = (x as tf.TensorInfo).shape as [number, number];
  const program = perItem(
    (x as tf.TensorInfo).shape,
    rows,
    'tabtune_ln_dx',
    ['DY', 'X', 'STATS', 'GAMMA'],
    `if (index >= uniforms.rows) { return; }
        let at = index * uniforms.width;
        let mean = STATS[index * 2];
        let rstd = STATS[index * 2 + 1];
        var meanG = 0.0;
        var meanGx = 0.0;
        for (var j = 0; j < uniforms.width; j++) {
          let g = DY[at + j] * GAMMA[j];
          meanG += g;
          meanGx += g * (X[at + j] - mean) * rstd;
        }
        meanG = meanG / f32(uniforms.width);
        meanGx = meanGx / f32(uniforms.width);
        for (var j = 0; j < uniforms.width; j++) {
          let g = DY[at + j] * GAMMA[j];
          let xhat = (X[at + j] - mean) * rstd;
          setOutputAtIndex(at + j, (g - meanG - xhat * meanGx) * rstd);
        }`,
  );
  return runner(args.backend, x as tf.TensorInfo)(program, [dy, x, stats, gamma] as tf.TensorInfo[]);
}

function layerNormDGamma(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const { dy, x, stats } = args.inputs as Record<string, tf.TensorInfo>;
  const width = (x as tf.TensorInfo).shape[1] as number;
  const program = perItem(
    [width],
    width,
    'tabtune_ln_dgamma',
    ['DY', 'X', 'STATS'],
    `if (index >= uniforms.width) { return; }
        var sum = 0.0;
        for (var r = 0; r < uniforms.rows; r++) {
          let at = r * uniforms.width + index;
          sum += DY[at] * (X[at] - STATS[r * 2]) * STATS[r * 2 + 1];
        }
        setOutputAtIndex(index, sum);`,
  );
  return runner(args.backend, x as tf.TensorInfo)(program, [dy, x, stats] as tf.TensorInfo[]);
}

/** LayerNorm's kernels, by name: registered with the others by `registerWebgpuKernels` (webgpuKernels.ts). */
export const LAYER_NORM_KERNELS: Array<[string, unknown]> = [
  [LAYER_NORM_STATS, layerNormStats],
  [LAYER_NORM, layerNormForward],
  [LAYER_NORM_DX, layerNormDx],
  [LAYER_NORM_DGAMMA, layerNormDGamma],
];

/** LayerNorm of [rows, width] by the WGSL kernels, with its gradients (∂β is a column sum). */
export function webgpuLayerNorm(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
): tf.Tensor2D {
  const run = (name: string, inputs: tf.NamedTensorMap, attrs: object = {}) =>
    runKernel<tf.Tensor>(name, inputs, attrs);
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const stats = run(LAYER_NORM_STATS, { x: input }, { eps });
    save([input, stats, g]);
    return {
      value: run(LAYER_NORM, { x: input, stats, gamma: g, beta: b }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, ss, sg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        return [
          run(LAYER_NORM_DX, { dy, x: sx, stats: ss, gamma: sg }),
          run(LAYER_NORM_DGAMMA, { dy, x: sx, stats: ss }),
          run(COLUMN_SUMS, { x: dy }),
        ];
      },
    };
  });
  return f(x, gamma, beta) as tf.Tensor2D;
}
