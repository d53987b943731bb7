import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { ADAMW, type AdamWUpdate } from '../wasm/kernels';

/*
 * WGSL kernels for TF.js's WebGPU backend (4.22, pinned), registered under the same kernel names as their
 * WASM siblings (wasm/kernels.ts), so an op runs whichever the active backend has. Each is checked against
 * TF.js's own composite on WebGPU by the checks page (/checks.html, e2e/checks.spec.ts). Only types are
 * imported from the WebGPU package: this module loads in Node too, where that package is never loaded.
 */

/** The part of TF.js's WebGPU backend these kernels use. */
interface WebGPUBackendLike {
  runWebGPUProgram(
    program: WebGPUProgram,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms?: Array<{ type: string; data: number[] }>,
  ): tf.TensorInfo;
}

const WORKGROUP = 256;

/** An elementwise program over `shape`: one invocation per value, TF.js's flat dispatch. */
function elementwise(
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

/**
 * AdamW's update of one tensor as three dispatches (one per output: p1, m1, v1; TF.js programs have one
 * output each) instead of ~18: the same formula, in the same order, as adamw.ts's composite. `OK` (a bool
 * scalar) false keeps the old values: a non-finite step is thrown away.
 */
function adamWKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) {
  const backend = args.backend as WebGPUBackendLike;
  const { p, m, v, g, scale, ok } = args.inputs as Record<string, tf.TensorInfo>;
  const u = args.attrs as AdamWUpdate;
  const inputs = [p, m, v, g, scale, ok] as tf.TensorInfo[];
  const values = [
    u.beta1,
    u.beta2,
    1 - u.beta1,
    1 - u.beta2,
    u.decay,
    Math.sqrt(u.bc2),
    u.lr / u.bc1,
    u.epsilon,
  ];
  const uniforms = values.map((x) => ({ type: 'float32', data: [x] }));
  const declared =
    'beta1 : f32, beta2 : f32, c1 : f32, c2 : f32, decay : f32, rootBc2 : f32, rate : f32, eps : f32,';
  const update = `
    let gi = G[index] * S[0];
    let m1 = M[index] * uniforms.beta1 + gi * uniforms.c1;
    let v1 = V[index] * uniforms.beta2 + gi * gi * uniforms.c2;
    let p1 = P[index] * uniforms.decay - (m1 / (sqrt(v1) / uniforms.rootBc2 + uniforms.eps)) * uniforms.rate;
    let keep = OK[0] != 0;`;
  const shape = (p as tf.TensorInfo).shape;
  return (['p1', 'm1', 'v1'] as const).map((out) => {
    const old = { p1: 'P', m1: 'M', v1: 'V' }[out];
    const program = elementwise(
      shape,
      `tabtune_adamw_${out}`,
      ['P', 'M', 'V', 'G', 'S', 'OK'],
      declared,
      `${update}
          setOutputAtIndex(index, select(${old}[index], ${out}, keep));`,
    );
    return backend.runWebGPUProgram(program, inputs, 'float32', uniforms);
  });
}

tf.registerKernel({
  kernelName: ADAMW,
  backendName: 'webgpu',
  kernelFunc: adamWKernel as unknown as tf.KernelFunc,
});
