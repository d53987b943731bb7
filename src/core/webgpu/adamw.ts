import * as tf from '@tensorflow/tfjs';
import type { AdamWUpdate } from '../kernelRegistry';

/*
 * AdamW's update of one tensor in ONE WebGPU dispatch, in place: the parameter and both moments are read and written
 * where they are. TF.js's programs have one output each, so its way took three dispatches per tensor (one per p1,
 * m1, v1) — 123 of a BERT-tiny step's 343. This records the dispatch as TF.js's own `recordAndSubmit` does (4.22,
 * pinned): the same command encoder and compute pass, its uniforms, the buffers kept from the pool until the queue
 * is submitted, and the submit every WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE dispatches. The same formula, in the same
 * order, as adamw.ts's composite and the WASM kernel; `ok` false leaves all three as they were. Only types come from
 * the WebGPU package: this module loads in Node too.
 */

interface TensorData {
  resource: unknown;
  values: unknown;
  refCount: number;
}

interface GpuPass {
  setPipeline(p: unknown): void;
  setBindGroup(i: number, g: unknown): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
}

/** The parts of TF.js's WebGPU backend (4.22) that recording a dispatch by hand uses. */
interface Backend {
  device: {
    createShaderModule(d: { code: string }): unknown;
    createComputePipeline(d: object): { getBindGroupLayout(i: number): unknown };
    createBindGroup(d: object): unknown;
  };
  tensorMap: { get(dataId: object): TensorData };
  commandQueueOwnedIds: WeakSet<object>;
  commandEncoder: { beginComputePass(d: object): GpuPass } | null;
  computePassEncoder: GpuPass | null;
  dispatchCountInPass: number;
  activeTimers: unknown[] | null;
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  makeUniforms(u: Array<{ type: string; data: number[] }>): object;
}

const WORKGROUP = 256;
/** Workgroups along x before a second dimension is used (WebGPU allows 65,535 per dimension). */
const MAX_X = 32_768;

const SHADER = `
@group(0) @binding(0) var<storage, read_write> P : array<f32>;
@group(0) @binding(1) var<storage, read_write> M : array<f32>;
@group(0) @binding(2) var<storage, read_write> V : array<f32>;
@group(0) @binding(3) var<storage, read> G : array<f32>;
@group(0) @binding(4) var<storage, read> S : array<f32>;
@group(0) @binding(5) var<storage, read> OK : array<i32>;
struct Uniforms { n : u32, beta1 : f32, beta2 : f32, c1 : f32, c2 : f32, decay : f32, rootBc2 : f32, rate : f32, eps : f32, };
@group(0) @binding(6) var<uniform> u : Uniforms;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid : vec3<u32>, @builtin(num_workgroups) groups : vec3<u32>,
        @builtin(local_invocation_index) lane : u32) {
  let index = (wid.y * groups.x + wid.x) * ${WORKGROUP}u + lane;
  if (index >= u.n || OK[0] == 0) { return; }
  let gi = G[index] * S[0];
  let m1 = M[index] * u.beta1 + gi * u.c1;
  let v1 = V[index] * u.beta2 + gi * gi * u.c2;
  let p1 = P[index] * u.decay - (m1 / (sqrt(v1) / u.rootBc2 + u.eps)) * u.rate;
  P[index] = p1;
  M[index] = m1;
  V[index] = v1;
}`;

const pipelines = new WeakMap<object, { getBindGroupLayout(i: number): unknown }>();

/** Whether the in-place update runs here: TF.js's WebGPU backend is the active one. */
export function adamWInPlaceAvailable(): boolean {
  return tf.getBackend() === 'webgpu';
}

/**
 * Updates `p`, `m` and `v` in place by one AdamW step with gradient `g` × `scale`, unless `ok` is false. A tensor
 * whose memory is shared (a variable made from a tensor still alive elsewhere) gets its own copy first, so that no
 * other tensor sees the change.
 */
export function adamWInPlace(
  slots: [tf.Variable, tf.Variable, tf.Variable],
  g: tf.Tensor,
  scale: tf.Scalar,
  ok: tf.Scalar,
  u: AdamWUpdate,
): void {
  const b = tf.backend() as unknown as Backend;
  for (const t of slots) if (b.tensorMap.get(t.dataId).refCount > 1) t.assign(tf.tidy(() => tf.mul(t, 1)));
  const inputs = [...slots, g, scale, ok];
  for (const t of inputs) b.uploadToGPU(t.dataId);
  let pipeline = pipelines.get(b.device);
  if (!pipeline) {
    const module = b.device.createShaderModule({ code: SHADER });
    pipeline = b.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    pipelines.set(b.device, pipeline);
  }
  const n = slots[0].size;
  const uniforms = b.makeUniforms([
    { type: 'uint32', data: [n] },
    ...[u.beta1, u.beta2, 1 - u.beta1, 1 - u.beta2, u.decay, Math.sqrt(u.bc2), u.lr / u.bc1, u.epsilon].map(
      (x) => ({ type: 'float32', data: [x] }),
    ),
  ]);
  const entries = [
    ...inputs.map((t, i) => ({ binding: i, resource: { buffer: b.tensorMap.get(t.dataId).resource } })),
    { binding: inputs.length, resource: uniforms },
  ];
  const bindGroup = b.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  // Kept from the buffer pool until the queue is submitted, as TF.js keeps its programs' inputs and output.
  for (const t of inputs) b.commandQueueOwnedIds.add(t.dataId);
  b.ensureCommandEncoderReady();
  if (b.activeTimers != null) b.endComputePassEncoder(); // tf.profile times passes: this one goes untimed
  b.computePassEncoder ??= b.commandEncoder!.beginComputePass({});
  const groups = Math.ceil(n / WORKGROUP);
  b.computePassEncoder.setPipeline(pipeline);
  b.computePassEncoder.setBindGroup(0, bindGroup);
  b.computePassEncoder.dispatchWorkgroups(Math.min(groups, MAX_X), Math.ceil(groups / MAX_X), 1);
  b.dispatchCountInPass++;
  // Values read back earlier are cached on the host; they are stale now.
  for (const t of slots) b.tensorMap.get(t.dataId).values = null;
  if (
    b.activeTimers != null ||
    (tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number) <= b.dispatchCountInPass
  ) {
    b.endComputePassEncoder();
    b.submitQueue();
  }
}
