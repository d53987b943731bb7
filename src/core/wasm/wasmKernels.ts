import * as tf from '@tensorflow/tfjs';
// Registers TF.js's own WASM kernels first, so that the ones below replace theirs, never the reverse.
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { fillDropoutMask } from '../model/dropoutMask';
import { ADAMW, COLUMN_SUMS, DROPOUT_MASK, registerKernelFor, type AdamWUpdate } from '../kernelRegistry';

/** The kernels this file defines, by name: registered by `registerWasmKernels`, never on import. */
const WASM_KERNELS: Array<[string, unknown]> = [];

/*
 * Kernels for TF.js's WASM backend (4.22, pinned) where its own are slow for what BERT training does. Each
 * was found with `npm run bench -- --profile` and is checked against TF.js's own in `kernels.test.ts`.
 * They reach into the backend's `dataIdMap`, `makeOutput`, `incRef` and the module's compiled exports, so
 * they are tied to the pinned TF.js version.
 */

/**
 * A batched matrix product for TF.js's WASM backend (4.22) that runs each batch entry through XNNPACK.
 *
 * TF.js's WASM `BatchMatMul` hands a product to XNNPACK only when both operands have a batch of one; any
 * real batch — attention's [batch·heads, T, T] products — goes to a scalar triple loop at ~1.8 GFLOP/s,
 * against ~23 GFLOP/s through XNNPACK (`npm run bench -- --profile`: 2/3 of BERT-mini's matmul time was
 * attention's). Slicing the batch with TF.js ops copies the whole input per slice (the WASM `Slice`
 * reads its input out of the heap first), so this kernel instead registers, for each batch entry,
 * zero-copy views of the operands' and the output's heap memory as tensors of batch one, calls the
 * backend's own compiled `BatchMatMul` on them, and unregisters the views (which also frees the
 * XNNPACK operator cached for the view). Plain operands only: a [n, m, k] · [n, k, p] → [n, m, p].
 */
export const SLICED_BATCH_MAT_MUL = 'TabTuneSlicedBatchMatMul';

type CompiledMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

const compiled = new WeakMap<object, CompiledMatMul>();

function compiledMatMul(backend: BackendWasm): CompiledMatMul {
  let f = compiled.get(backend.wasm);
  if (!f) {
    const module = backend.wasm as unknown as { cwrap: (...args: unknown[]) => unknown };
    f = module.cwrap('BatchMatMul', null, [
      'number',
      'array',
      'number',
      'number',
      'array',
      'number',
      'number',
      'number',
      'number',
    ]) as CompiledMatMul;
    compiled.set(backend.wasm, f);
  }
  return f;
}

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

/** A tensor registered over `shape`'s worth of existing heap memory at `offset`; it owns nothing. */
function view(backend: BackendWasm, offset: number, shape: number[]) {
  const info = backend.makeOutput(shape, 'float32', offset);
  return { dataId: info.dataId, id: backend.dataIdMap.get(info.dataId).id };
}

/** Unregister a view without freeing its memory (the tensor it looks into owns that). */
function release(backend: BackendWasm, v: { dataId: tf.DataId; id: number }): void {
  backend.wasm.tfjs.disposeData(v.id);
  backend.dataIdMap.delete(v.dataId);
}

function slicedBatchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const a = args.inputs['a'] as tf.TensorInfo;
  const b = args.inputs['b'] as tf.TensorInfo;
  const [n, m, k] = a.shape as [number, number, number];
  const p = b.shape[2] as number;
  if (b.shape[0] !== n || b.shape[1] !== k || a.shape.length !== 3 || b.shape.length !== 3) {
    throw new Error(`${SLICED_BATCH_MAT_MUL}: shapes [${a.shape}] · [${b.shape}] are not [n,m,k]·[n,k,p]`);
  }
  const out = backend.makeOutput([n, m, p], 'float32');
  const run = compiledMatMul(backend);
  const offset = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;
  const [aAt, bAt, outAt] = [offset(a), offset(b), offset(out)];
  const [aShape, bShape, outShape] = [
    [1, m, k],
    [1, k, p],
    [1, m, p],
  ];
  const [aBytes, bBytes] = [shapeBytes(aShape), shapeBytes(bShape)];
  for (let i = 0; i < n; i++) {
    const va = view(backend, aAt + i * m * k * 4, aShape);
    const vb = view(backend, bAt + i * k * p * 4, bShape);
    const vo = view(backend, outAt + i * m * p * 4, outShape);
    run(va.id, aBytes, 3, vb.id, bBytes, 3, false, false, vo.id);
    release(backend, va);
    release(backend, vb);
    release(backend, vo);
  }
  return out;
}

WASM_KERNELS.push([SLICED_BATCH_MAT_MUL, slicedBatchMatMul]);

/** a·b for float32 [n, m, k] · [n, k, p] on the WASM backend, one XNNPACK product per batch entry. */
export function slicedBatchMatMul3d(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return tf.engine().runKernel(SLICED_BATCH_MAT_MUL, { a, b }) as tf.Tensor3D;
}

/**
 * Identity without a copy, as TF.js's CPU and WebGPU backends do it (the output shares the input's memory
 * and its reference count). TF.js's WASM Identity copies, and the engine runs an Identity for every tensor
 * a gradient saves: 586 copies per BERT-tiny training step. Tensors are never written in place, so
 * sharing is safe; TF.js's WASM `Reshape` already shares memory the same way.
 */
function sharedIdentity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs['x'] as tf.TensorInfo;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Σ over the rows of a float32 [n, c] → [c] (a bias gradient), in one pass over the heap with float64
 * accumulators. TF.js's WASM Sum over a leading axis transposes first (3.9 ms for [4096, 128]); a
 * product with a row of ones pays XNNPACK's packing of the [n, c] operand (3.7 ms); this takes ~0.8 ms.
 */
function columnSumsKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs['x'] as tf.TensorInfo;
  const [n, c] = x.shape as [number, number];
  const out = backend.makeOutput([c], 'float32');
  const xs = backend.typedArrayFromHeap(x) as Float32Array; // views taken after the allocation
  const acc = new Float64Array(c);
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    // Four rows a pass: a quarter of the accumulator traffic (2.3× faster than one row at a time).
    const [a0, a1, a2, a3] = [r * c, (r + 1) * c, (r + 2) * c, (r + 3) * c];
    for (let j = 0; j < c; j++) {
      const four =
        (xs[a0 + j] as number) + (xs[a1 + j] as number) + ((xs[a2 + j] as number) + (xs[a3 + j] as number));
      acc[j] = (acc[j] as number) + four;
    }
  }
  for (; r < n; r++) {
    for (let j = 0; j < c; j++) acc[j] = (acc[j] as number) + (xs[r * c + j] as number);
  }
  (backend.typedArrayFromHeap(out) as Float32Array).set(acc);
  return out;
}

WASM_KERNELS.push([COLUMN_SUMS, columnSumsKernel]);

/**
 * One AdamW update of one float32 tensor in one pass over the heap (float64 arithmetic), instead of ~17
 * TF.js kernels, three of them selects over the whole tensor: inputs p, m, v, g and the device scalars
 * `scale` (clipping) and `ok` (false: a non-finite step, which leaves p, m and v as they were — shared, not
 * copied). Outputs [p1, m1, v1]. The same formula as adamw.ts's composite.
 */
function adamWKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs: unknown;
}): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { p, m, v, g, scale, ok } = args.inputs as Record<string, tf.TensorInfo>;
  const u = args.attrs as AdamWUpdate;
  const step = backend.typedArrayFromHeap(ok as tf.TensorInfo)[0] !== 0;
  if (!step) {
    for (const t of [p, m, v]) backend.incRef((t as tf.TensorInfo).dataId);
    return [p, m, v].map((t) => ({ ...(t as tf.TensorInfo) }));
  }
  const shape = (p as tf.TensorInfo).shape;
  const outs = [0, 1, 2].map(() => backend.makeOutput(shape, 'float32'));
  const heap = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array; // after allocating
  const [ps, ms, vs, gs] = [p, m, v, g].map((t) => heap(t as tf.TensorInfo)) as Float32Array[];
  const [po, mo, vo] = outs.map(heap) as Float32Array[];
  const s = heap(scale as tf.TensorInfo)[0] as number;
  const { beta1, beta2, epsilon, lr, decay, bc1, bc2 } = u;
  const [c1, c2, rootBc2, rate] = [1 - beta1, 1 - beta2, Math.sqrt(bc2), lr / bc1];
  for (let i = 0; i < ps!.length; i++) {
    const gi = (gs![i] as number) * s;
    const m1 = (ms![i] as number) * beta1 + gi * c1;
    const v1 = (vs![i] as number) * beta2 + gi * gi * c2;
    mo![i] = m1;
    vo![i] = v1;
    po![i] = (ps![i] as number) * decay - (m1 / (Math.sqrt(v1) / rootBc2 + epsilon)) * rate;
  }
  return outs;
}

WASM_KERNELS.push([ADAMW, adamWKernel]);

/**
 * Rows of a float32 table [rows, width] picked by int32 ids of any shape → [...ids.shape, width] (an
 * embedding lookup), row by row on the heap. TF.js's WASM GatherV2 takes ~23 ms for 4,096 rows of 128.
 * An id outside the table is an error, as on TF.js's CPU backend.
 */
export const GATHER_ROWS = 'TabTuneGatherRows';

function gatherRowsKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const table = args.inputs['table'] as tf.TensorInfo;
  const ids = args.inputs['ids'] as tf.TensorInfo;
  const [rows, width] = table.shape as [number, number];
  const out = backend.makeOutput([...ids.shape, width], 'float32');
  const src = backend.typedArrayFromHeap(table) as Float32Array;
  const idx = backend.typedArrayFromHeap(ids) as Int32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  for (let k = 0; k < idx.length; k++) {
    const id = idx[k] as number;
    if (!(id >= 0 && id < rows)) {
      backend.disposeData(out.dataId);
      throw new Error(`embedding lookup: id ${id} at position ${k} is not in [0, ${rows - 1}]`);
    }
    dst.set(src.subarray(id * width, (id + 1) * width), k * width);
  }
  return out;
}

WASM_KERNELS.push([GATHER_ROWS, gatherRowsKernel]);

/** table[ids] for a float32 [rows, width] table and int32 ids on the WASM backend. */
export function wasmGatherRows(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(GATHER_ROWS, { table, ids }) as tf.Tensor;
}

/**
 * The transpose of a float32 [r, c], in 32 × 32 blocks on the heap: about twice as fast as TF.js's WASM
 * Transpose for the [4096, 128…1024] activations a weight gradient transposes (4.6 against 2.3 ms).
 */
export const TRANSPOSE_2D = 'TabTuneTranspose2d';

function transpose2dKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs['x'] as tf.TensorInfo;
  const [r, c] = x.shape as [number, number];
  const out = backend.makeOutput([c, r], 'float32');
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const B = 32;
  for (let i0 = 0; i0 < r; i0 += B) {
    const iEnd = Math.min(i0 + B, r);
    for (let j0 = 0; j0 < c; j0 += B) {
      const jEnd = Math.min(j0 + B, c);
      for (let i = i0; i < iEnd; i++) {
        const row = i * c;
        for (let j = j0; j < jEnd; j++) dst[j * r + i] = src[row + j] as number;
      }
    }
  }
  return out;
}

WASM_KERNELS.push([TRANSPOSE_2D, transpose2dKernel]);

/** xᵀ for a float32 [r, c] on the WASM backend. */
export function wasmTranspose2d(x: tf.Tensor2D): tf.Tensor2D {
  return tf.engine().runKernel(TRANSPOSE_2D, { x }) as tf.Tensor2D;
}

/**
 * A dropout mask (model/dropoutMask.ts, `fillDropoutMask`) written straight into the heap: no upload, and
 * no TF.js random generator (tf.dropout draws in JS with a per-call generator, then takes four kernels).
 */
function dropoutMaskKernel(args: { backend: unknown; attrs: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { shape, rate, seed } = args.attrs as { shape: number[]; rate: number; seed: number };
  const out = backend.makeOutput(shape, 'float32');
  fillDropoutMask(backend.typedArrayFromHeap(out) as Float32Array, rate, seed);
  return out;
}

WASM_KERNELS.push([DROPOUT_MASK, dropoutMaskKernel]);

/**
 * out[ids[k]] += dy[k] into a zeroed float32 [rows, width] (an embedding table's gradient), on the heap:
 * the host loop it replaces read dy out of the heap, built the table in JS and copied it back in.
 */
export const SCATTER_ADD_ROWS = 'TabTuneScatterAddRows';

function scatterAddRowsKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs: unknown;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const dy = args.inputs['dy'] as tf.TensorInfo;
  const ids = args.inputs['ids'] as tf.TensorInfo;
  const { rows } = args.attrs as { rows: number };
  const width = dy.shape[1] as number;
  const out = backend.makeOutput([rows, width], 'float32');
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const src = backend.typedArrayFromHeap(dy) as Float32Array;
  const idx = backend.typedArrayFromHeap(ids) as Int32Array;
  dst.fill(0);
  for (let k = 0; k < idx.length; k++) {
    const base = (idx[k] as number) * width;
    const from = k * width;
    for (let j = 0; j < width; j++) dst[base + j] = (dst[base + j] as number) + (src[from + j] as number);
  }
  return out;
}

WASM_KERNELS.push([SCATTER_ADD_ROWS, scatterAddRowsKernel]);

/** Row k of dy [n, width] added into row ids[k] of a zero [rows, width], on the WASM backend. */
export function wasmScatterAddRows(dy: tf.Tensor2D, ids: tf.Tensor1D, rows: number): tf.Tensor2D {
  return tf.engine().runKernel(SCATTER_ADD_ROWS, { dy, ids }, { rows }) as tf.Tensor2D;
}

let wasmRegistered = false;

/**
 * Registers TabTune's WASM kernels, once: ours under our names, and the Identity that shares memory in place of
 * TF.js's copying one. Called when a backend starts (core/runtime/registerKernels.ts), not on import.
 */
export function registerWasmKernels(): void {
  if (wasmRegistered) return;
  wasmRegistered = true;
  for (const [name, func] of WASM_KERNELS) registerKernelFor('wasm', name, func);
  tf.unregisterKernel('Identity', 'wasm');
  registerKernelFor('wasm', 'Identity', sharedIdentity);
}
