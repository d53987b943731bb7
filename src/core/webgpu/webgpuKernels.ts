import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { addMany } from '../addMany';
import { elementwise, runner, WORKGROUP, type WebGPUBackendLike } from './program';
import { LAYER_NORM_KERNELS } from './layerNorm';
import { ATTENTION_SOFTMAX_KERNELS } from './attentionSoftmax';
import { dropoutThreshold, seedKey } from '../model/dropoutMask';
import { COLUMN_SUMS, DROPOUT_MASK, hasKernel, registerKernelFor, runKernel } from '../kernelRegistry';

/** The kernels this file defines, by name: registered by `registerWebgpuKernels`, never on import. */
const WEBGPU_KERNELS: Array<[string, unknown]> = [];

/*
 * WGSL kernels for TF.js's WebGPU backend (4.22, pinned), registered under the same kernel names as their
 * WASM siblings where there is one (core/kernelRegistry.ts), so an op runs whichever the active backend has. Each is checked against
 * TF.js's own composite on WebGPU by the checks page (/checks.html, e2e/checks.spec.ts). Only types are
 * imported from the WebGPU package: this module loads in Node too, where that package is never loaded.
 */

/**
 * WGSL: the `sum` of each of a workgroup's `size` invocations (lane = its index in the workgroup) added up in
 * workgroup memory as a tree; lane 0 then holds the total in `partial[0]`. `declaration` goes at module scope.
 */
function workgroupSum(size: number): { declaration: string; reduce: string } {
  return {
    declaration: `var<workgroup> partial : array<f32, ${size}>;`,
    reduce: `
        partial[lane] = sum;
        workgroupBarrier();
        for (var stride = ${size / 2}; stride > 0; stride = stride / 2) {
          if (lane < stride) { partial[lane] += partial[lane + stride]; }
          workgroupBarrier();
        }`,
  };
}

/**
 * Σ x² over up to SQUARES_PER_DISPATCH float32 tensors together, in one dispatch: one workgroup whose 256
 * invocations each sum a strided share of every tensor in turn, then a tree in workgroup memory. The gradient norm
 * of BERT-tiny's 41 tensors is then 6 dispatches and one AddN instead of 41 and seven (TF.js's own way, Square then
 * Sum, took two per tensor): the WebGPU API's cost is per dispatch.
 */
export const SUM_OF_SQUARES_MANY = 'TabTuneSumOfSquaresMany';
/**
 * Tensors per dispatch: WebGPU's default of 8 storage buffers per shader stage (what SwiftShader and TF.js's device
 * give), one of them the output.
 */
export const SQUARES_PER_DISPATCH = 7;

function sumOfSquaresMany(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const xs = Object.keys(args.inputs)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((k) => args.inputs[k] as tf.TensorInfo);
  const names = xs.map((_, j) => `X${j}`);
  const tree = workgroupSum(WORKGROUP);
  const program: WebGPUProgram = {
    outputShape: [],
    shaderKey: `tabtune_sum_of_squares_many_${xs.length}`,
    variableNames: names,
    uniforms: names.map((_, j) => `n${j} : i32,`).join(' '),
    workgroupSize: [WORKGROUP, 1, 1],
    dispatchLayout: { x: [] },
    dispatch: [1, 1, 1],
    getUserCode: () => `
      ${tree.declaration}
      fn main(index : i32) {
        let lane = i32(localId.x);
        var sum = 0.0;
        ${names.map((x, j) => `for (var i = lane; i < uniforms.n${j}; i += ${WORKGROUP}) { sum += ${x}[i] * ${x}[i]; }`).join('\n')}
        ${tree.reduce}
        if (lane == 0) { setOutputAtIndex(0, partial[0]); }
      }`,
  };
  const sizes = xs.map((x) => ({ type: 'int32', data: [x.shape.reduce((a, b) => a * b, 1)] }));
  return (args.backend as WebGPUBackendLike).runWebGPUProgram(program, xs, 'float32', sizes);
}

WEBGPU_KERNELS.push([SUM_OF_SQUARES_MANY, sumOfSquaresMany]);

/** Σ x² as a scalar: one WGSL dispatch on WebGPU, TF.js's Square and Sum elsewhere. */
export function sumOfSquaresOf(x: tf.Tensor): tf.Scalar {
  return hasKernel(SUM_OF_SQUARES_MANY) && x.dtype === 'float32'
    ? runKernel<tf.Scalar>(SUM_OF_SQUARES_MANY, { x0: x })
    : tf.sum(tf.square(x));
}

/**
 * Σ x² over every tensor as a scalar: SQUARES_PER_DISPATCH tensors per WGSL dispatch on WebGPU, then their sums
 * added; TF.js's Square and Sum per tensor elsewhere, then added.
 */
export function sumOfSquaresAll(xs: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (!hasKernel(SUM_OF_SQUARES_MANY) || xs.some((x) => x.dtype !== 'float32'))
      return addMany(xs.map((x) => tf.sum(tf.square(x)))) as tf.Scalar;
    const parts: tf.Tensor[] = [];
    for (let i = 0; i < xs.length; i += SQUARES_PER_DISPATCH) {
      const group = xs.slice(i, i + SQUARES_PER_DISPATCH);
      parts.push(
        runKernel<tf.Scalar>(SUM_OF_SQUARES_MANY, Object.fromEntries(group.map((x, j) => [`x${j}`, x]))),
      );
    }
    return addMany(parts) as tf.Scalar;
  });
}

/**
 * Σ over the rows of a float32 [rows, width] → [width] (a bias gradient): one workgroup per column, its
 * 64 invocations summing strided shares, then a tree. TF.js's Sum over the leading axis took a fifth of a
 * BERT-tiny step's WebGPU time on SwiftShader (npm run bench -- --profile).
 */
const COLUMN_WORKGROUP = 64;

function columnSumsKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const x = args.inputs['x'] as tf.TensorInfo;
  const width = x.shape[1] as number;
  const tree = workgroupSum(COLUMN_WORKGROUP);
  const program: WebGPUProgram = {
    outputShape: [width],
    shaderKey: 'tabtune_column_sums',
    variableNames: ['X'],
    uniforms: 'rows : i32, width : i32, eps : f32,',
    workgroupSize: [COLUMN_WORKGROUP, 1, 1],
    dispatchLayout: { x: [0] },
    dispatch: [width, 1, 1],
    getUserCode: () => `
      ${tree.declaration}
      fn main(index : i32) {
        let lane = i32(localId.x);
        let column = i32(workgroupId.x);
        var sum = 0.0;
        for (var r = lane; r < uniforms.rows; r += ${COLUMN_WORKGROUP}) { sum += X[r * uniforms.width + column]; }
        ${tree.reduce}
        if (lane == 0) { setOutputAtIndex(column, partial[0]); }
      }`,
  };
  return runner(args.backend, x)(program, [x]);
}

WEBGPU_KERNELS.push([COLUMN_SUMS, columnSumsKernel]);

/**
 * A dropout mask made on the GPU: model/dropoutMask.ts's counter-based hash in WGSL (u32 arithmetic wraps as
 * JavaScript's Math.imul and >>> do), so the mask is bit-for-bit the host's and nothing is uploaded per call.
 */
function dropoutMaskKernel(args: { backend: unknown; attrs: unknown }) {
  const { shape, rate, seed } = args.attrs as { shape: number[]; rate: number; seed: number };
  const program = elementwise(
    shape,
    'tabtune_dropout_mask',
    [],
    'key : i32, threshold : i32, scale : f32,',
    `let key = bitcast<u32>(uniforms.key);
          var z = (u32(index) ^ key) + key;
          z = z ^ (z >> 16u);
          z = z * 0x7feb352du;
          z = z ^ (z >> 15u);
          z = z * 0x846ca68bu;
          z = z ^ (z >> 16u);
          setOutputAtIndex(index, select(0.0, uniforms.scale, (z >> 8u) >= u32(uniforms.threshold)));`,
  );
  return (args.backend as WebGPUBackendLike).runWebGPUProgram(program, [], 'float32', [
    { type: 'int32', data: [seedKey(seed) | 0] },
    { type: 'int32', data: [dropoutThreshold(rate)] },
    { type: 'float32', data: [1 / (1 - rate)] },
  ]);
}

WEBGPU_KERNELS.push([DROPOUT_MASK, dropoutMaskKernel]);

/**
 * GELU (exact form, model/gelu.ts) in one dispatch forward and one backward. WGSL has no erf: this is the
 * Abramowitz–Stegun 7.1.26 approximation (error under 1.5e-7), the one TF.js's own WebGPU Erf uses, so the
 * composite and these kernels compute the same Φ.
 */
export const GELU = 'TabTuneGelu';
export const GELU_GRAD = 'TabTuneGeluGrad';

const PHI = `
  fn phi(x : f32) -> f32 {
    let a = x * ${Math.SQRT1_2};
    let absA = abs(a);
    let t = 1.0 / (1.0 + ${tf.backend_util.ERF_P} * absA);
    let poly = (((((${tf.backend_util.ERF_A5} * t + ${tf.backend_util.ERF_A4}) * t) + ${tf.backend_util.ERF_A3}) * t
      + ${tf.backend_util.ERF_A2}) * t + ${tf.backend_util.ERF_A1}) * t;
    let erf = sign(a) * (1.0 - poly * exp(-absA * absA));
    return 0.5 * (1.0 + erf);
  }`;

function geluProgram(shape: number[], grad: boolean): WebGPUProgram {
  const body = grad
    ? `let x = X[index];
          let density = exp(-0.5 * x * x) * ${1 / Math.sqrt(2 * Math.PI)};
          setOutputAtIndex(index, DY[index] * (phi(x) + x * density));`
    : `let x = X[index];
          setOutputAtIndex(index, x * phi(x));`;
  const program = elementwise(
    shape,
    grad ? 'tabtune_gelu_grad' : 'tabtune_gelu',
    grad ? ['X', 'DY'] : ['X'],
    '',
    body,
  );
  const main = program.getUserCode;
  return { ...program, getUserCode: () => `${PHI}\n${main()}` };
}

WEBGPU_KERNELS.push([
  GELU,
  (args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    return (args.backend as WebGPUBackendLike).runWebGPUProgram(geluProgram(x.shape, false), [x], 'float32');
  },
]);
WEBGPU_KERNELS.push([
  GELU_GRAD,
  (args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
    const { x, dy } = args.inputs as Record<string, tf.TensorInfo>;
    const program = geluProgram((x as tf.TensorInfo).shape, true);
    return (args.backend as WebGPUBackendLike).runWebGPUProgram(
      program,
      [x, dy] as tf.TensorInfo[],
      'float32',
    );
  },
]);

/**
 * out[ids[k]] += dy[k] for every k, each row summed in a fixed order: TF.js's UnsortedSegmentSum adds with atomics,
 * so two runs of one seed end with different embedding tables. The ids are known on the host (the batch was made
 * there): a counting sort groups the positions by id (`rowPositions`), then one invocation per output value sums
 * its row's positions in ascending order. Inputs dy [n, width], order [n], starts [rows + 1]; output [rows, width].
 */
export const SCATTER_ROWS_IN_ORDER = 'TabTuneScatterRowsInOrder';

/** The positions k grouped by ids[k], ascending within a group (`order`), and where each id's group starts. Pure. */
export function rowPositions(ids: Int32Array, rows: number): { order: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(rows + 1);
  for (const id of ids) starts[id + 1]! += 1;
  for (let r = 0; r < rows; r++) starts[r + 1]! += starts[r]!;
  const next = starts.slice(0, rows);
  const order = new Int32Array(ids.length);
  ids.forEach((id, k) => (order[next[id]!++] = k));
  return { order, starts };
}

WEBGPU_KERNELS.push([
  SCATTER_ROWS_IN_ORDER,
  (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const { dy, order, starts } = args.inputs as Record<string, tf.TensorInfo>;
    const { rows } = args.attrs as { rows: number };
    const width = (dy as tf.TensorInfo).shape[1] as number;
    const program = elementwise(
      [rows, width],
      'tabtune_scatter_rows_in_order',
      ['DY', 'ORDER', 'STARTS'],
      'width : i32,',
      `let r = index / uniforms.width;
          let c = index - r * uniforms.width;
          var sum = 0.0;
          for (var k = STARTS[r]; k < STARTS[r + 1]; k++) { sum += DY[ORDER[k] * uniforms.width + c]; }
          setOutputAtIndex(index, sum);`,
    );
    return (args.backend as WebGPUBackendLike).runWebGPUProgram(
      program,
      [dy, order, starts] as tf.TensorInfo[],
      'float32',
      [{ type: 'int32', data: [width] }],
    );
  },
]);

/** out[ids[k]] += dy[k], [rows, width], in a fixed order (see SCATTER_ROWS_IN_ORDER). */
export function scatterRowsInOrder(dy: tf.Tensor2D, hostIds: Int32Array, rows: number): tf.Tensor2D {
  const { order, starts } = rowPositions(hostIds, rows);
  return tf.tidy(() =>
    runKernel<tf.Tensor2D>(
      SCATTER_ROWS_IN_ORDER,
      { dy, order: tf.tensor1d(order, 'int32'), starts: tf.tensor1d(starts, 'int32') },
      { rows },
    ),
  );
}

let webgpuRegistered = false;

/** Registers TabTune's WebGPU kernels, once, LayerNorm's and attention's included. Called when a backend starts, not on import. */
export function registerWebgpuKernels(): void {
  if (webgpuRegistered) return;
  webgpuRegistered = true;
  for (const [name, func] of [...WEBGPU_KERNELS, ...LAYER_NORM_KERNELS, ...ATTENTION_SOFTMAX_KERNELS])
    registerKernelFor('webgpu', name, func);
}
