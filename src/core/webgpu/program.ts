import type * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/*
 * The program shapes our WGSL kernels are built from (webgpuKernels.ts, layerNorm.ts, attentionSoftmax.ts): one invocation per value, or one
 * per row or column, run through TF.js's WebGPU backend. Only types come from the WebGPU package.
 */

/** The part of TF.js's WebGPU backend these kernels use. */
export interface WebGPUBackendLike {
  runWebGPUProgram(
    program: WebGPUProgram,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms?: Array<{ type: string; data: number[] }>,
  ): tf.TensorInfo;
}

export const WORKGROUP = 256;

/** An elementwise program over `shape`: one invocation per value, TF.js's flat dispatch. */
export function elementwise(
  shape: number[],
  shaderKey: string,
  variableNames: string[],
  uniforms: string,
  body: string,
): WebGPUProgram {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    outputShape: shape,
    shaderKey,
    variableNames,
    uniforms,
    size: true,
    workgroupSize: [WORKGROUP, 1, 1],
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

/** A program with one invocation per item (a row, a column), each writing as many outputs as it needs. */
export function perItem(
  outputShape: number[],
  items: number,
  shaderKey: string,
  variableNames: string[],
  body: string,
): WebGPUProgram {
  return {
    outputShape,
    shaderKey,
    variableNames,
    uniforms: 'rows : i32, width : i32, eps : f32,',
    workgroupSize: [64, 1, 1],
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(items / 64), 1, 1],
    getUserCode: () => `
      fn main(index : i32) {
        ${body}
      }`,
  };
}

export type Run = (program: WebGPUProgram, inputs: tf.TensorInfo[], eps?: number) => tf.TensorInfo;

export function runner(backend: unknown, x: tf.TensorInfo): Run {
  const [rows, width] = x.shape as [number, number];
  return (program, inputs, eps = 0) =>
    (backend as WebGPUBackendLike).runWebGPUProgram(program, inputs, 'float32', [
      { type: 'int32', data: [rows] },
      { type: 'int32', data: [width] },
      { type: 'float32', data: [eps] },
    ]);
}
