import * as tf from '@tensorflow/tfjs';
import { tensorsOnHost } from '../backend';
import { hasKernel } from '../kernelRegistry';
import { GATHER_ROWS, SCATTER_ADD_ROWS, wasmGatherRows, wasmScatterAddRows } from '../wasm/wasmKernels';
import { SCATTER_ROWS_IN_ORDER, scatterRowsInOrder } from '../webgpu/webgpuKernels';

/**
 * Embedding lookup (gather) with a gradient every backend can compute fast. TF.js's own gather gradient
 * uses UnsortedSegmentSum, which WASM lacks and the CPU backend runs in O(vocabulary × tokens × hidden);
 * on those host-memory backends the rows are scatter-added in one pass instead (see tensorsOnHost). On WebGPU,
 * TF.js's UnsortedSegmentSum adds with atomics, in whatever order the GPU runs them: with `hostIds` (the ids the
 * batch was made of) each row is summed in a fixed order instead, so a seed gives the same weights every time.
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor, hostIds?: Int32Array | null): tf.Tensor {
  // customGrad's typing lumps tensors and the save function into one rest parameter.
  const lookup = tf.customGrad(((t: tf.Tensor, i: tf.Tensor, save: tf.GradSaveFunc) => {
    save([i]);
    return {
      value:
        hasKernel(GATHER_ROWS) && i.dtype === 'int32' && t.dtype === 'float32'
          ? wasmGatherRows(t as tf.Tensor2D, i)
          : tf.gather(t, i),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const savedIds = saved[0] as tf.Tensor;
        const [rows, width] = t.shape as [number, number];
        return [
          scatterAddRows(
            dy.reshape([-1, width]) as tf.Tensor2D,
            savedIds.reshape([-1]) as tf.Tensor1D,
            rows,
            hostIds ?? null,
          ),
          tf.zerosLike(savedIds),
        ];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return lookup(table, ids);
}

/** out[ids[k]] += dy[k] for every k: [rows, width]. `hostIds`: the same ids on the host, where the caller has them. */
export function scatterAddRows(
  dy: tf.Tensor2D,
  ids: tf.Tensor1D,
  rows: number,
  hostIds: Int32Array | null = null,
): tf.Tensor2D {
  if (hostIds && hasKernel(SCATTER_ROWS_IN_ORDER) && dy.dtype === 'float32')
    return scatterRowsInOrder(dy, hostIds, rows);
  if (!tensorsOnHost(tf.getBackend())) return tf.unsortedSegmentSum(dy, ids, rows);
  if (hasKernel(SCATTER_ADD_ROWS) && dy.dtype === 'float32' && ids.dtype === 'int32') {
    return wasmScatterAddRows(dy, ids, rows);
  }
  const width = dy.shape[1];
  const g = dy.dataSync();
  const idx = ids.dataSync();
  const out = new Float32Array(rows * width);
  for (let k = 0; k < idx.length; k++) {
    const base = (idx[k] as number) * width;
    const src = k * width;
    for (let j = 0; j < width; j++) out[base + j] = (out[base + j] as number) + (g[src + j] as number);
  }
  return tf.tensor2d(out, [rows, width]);
}
