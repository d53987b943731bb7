import type * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackendLike } from './program';

/*
 * Attention's probabilities in WGSL (model/attentionSoftmax.ts has the maths), one invocation per row of scores:
 * forward softmax(s / divisor + mask) in one dispatch instead of three (div, add, softmax), backward
 * y·(dy − Σ dy·y) / divisor in one instead of five. scores, probs: [rows, width]; mask [batches, width], one row
 * of it for every `rowsPerBatch` rows of scores (heads × query positions).
 */
export const ATTENTION_SOFTMAX = 'TabTuneAttentionSoftmax';
export const ATTENTION_SOFTMAX_GRAD = 'TabTuneAttentionSoftmaxGrad';

const ROW_GROUP = 64;

function rowProgram(
  shape: number[],
  shaderKey: string,
  variableNames: string[],
  body: string,
): WebGPUProgram {
  const rows = shape[0] as number;
  return {
    outputShape: shape,
    shaderKey,
    variableNames,
    uniforms: 'rows : i32, width : i32, divisor : f32, rowsPerBatch : i32,',
    workgroupSize: [ROW_GROUP, 1, 1],
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(rows / ROW_GROUP), 1, 1],
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.rows) { return; }
        let at = index * uniforms.width;
        ${body}
      }`,
  };
}

function run(
  backend: unknown,
  program: WebGPUProgram,
  inputs: tf.TensorInfo[],
  divisor: number,
  rowsPerBatch: number,
): tf.TensorInfo {
  const [rows, width] = program.outputShape as [number, number];
  return (backend as WebGPUBackendLike).runWebGPUProgram(program, inputs, 'float32', [
    { type: 'int32', data: [rows] },
    { type: 'int32', data: [width] },
    { type: 'float32', data: [divisor] },
    { type: 'int32', data: [rowsPerBatch] },
  ]);
}

interface Attrs {
  divisor: number;
  rowsPerBatch: number;
}

function forward(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) {
  const { scores, mask } = args.inputs as Record<string, tf.TensorInfo>;
  const { divisor, rowsPerBatch } = args.attrs as Attrs;
  const program = rowProgram(
    (scores as tf.TensorInfo).shape,
    'tabtune_attention_softmax',
    ['S', 'MASK'],
    `let m = (index / uniforms.rowsPerBatch) * uniforms.width;
        var top = -3.402823e38;
        for (var j = 0; j < uniforms.width; j++) { top = max(top, S[at + j] / uniforms.divisor + MASK[m + j]); }
        var sum = 0.0;
        for (var j = 0; j < uniforms.width; j++) { sum += exp(S[at + j] / uniforms.divisor + MASK[m + j] - top); }
        for (var j = 0; j < uniforms.width; j++) {
          setOutputAtIndex(at + j, exp(S[at + j] / uniforms.divisor + MASK[m + j] - top) / sum);
        }`,
  );
  return run(args.backend, program, [scores, mask] as tf.TensorInfo[], divisor, rowsPerBatch);
}

function backward(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) {
  const { probs, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const { divisor } = args.attrs as Attrs;
  const program = rowProgram(
    (probs as tf.TensorInfo).shape,
    'tabtune_attention_softmax_grad',
    ['Y', 'DY'],
    `var dot = 0.0;
        for (var j = 0; j < uniforms.width; j++) { dot += DY[at + j] * Y[at + j]; }
        for (var j = 0; j < uniforms.width; j++) {
          setOutputAtIndex(at + j, Y[at + j] * (DY[at + j] - dot) / uniforms.divisor);
        }`,
  );
  return run(args.backend, program, [probs, dy] as tf.TensorInfo[], divisor, 1);
}

export const ATTENTION_SOFTMAX_KERNELS: Array<[string, unknown]> = [
  [ATTENTION_SOFTMAX, forward],
  [ATTENTION_SOFTMAX_GRAD, backward],
];
