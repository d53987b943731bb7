import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLUMN_SUMS, runKernel } from '../kernelRegistry';
import { slicedBatchMatMul3d, wasmGatherRows, wasmTranspose2d } from './wasmKernels';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

/** The same values computed on the CPU backend, as the independent reference. */
async function onCpu(f: () => tf.Tensor, inputs: tf.Tensor[]): Promise<number[]> {
  const data = await Promise.all(inputs.map((t) => t.data()));
  await tf.setBackend('cpu');
  const copies = inputs.map((t, i) => tf.tensor(data[i] as Float32Array, t.shape));
  const args = copies as unknown as tf.Tensor[];
  const out = tf.tidy(() => f.call(args));
  const values = [...(await out.data())];
  tf.dispose([out, ...copies]);
  await tf.setBackend('wasm');
  return values;
}

describe('WASM kernels against TF.js on the CPU backend', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it.each([
    ['attention scores [6, 16, 8]·[6, 8, 16]', [6, 16, 8], [6, 8, 16]],
    ['odd sizes [3, 5, 7]·[3, 7, 2]', [3, 5, 7], [3, 7, 2]],
    ['a batch of one [1, 4, 3]·[1, 3, 5]', [1, 4, 3], [1, 3, 5]],
  ])(
    'the sliced batched product: %s, within 1e-5, inputs untouched, nothing left behind',
    async (_, sa, sb) => {
      const a = tf.randomNormal<tf.Rank>(sa as number[], 0, 1, 'float32', 1) as tf.Tensor3D;
      const b = tf.randomNormal<tf.Rank>(sb as number[], 0, 1, 'float32', 2) as tf.Tensor3D;
      const [aBefore, bBefore] = [[...a.dataSync()], [...b.dataSync()]];
      const ref = await onCpu(
        function (this: tf.Tensor[]) {
          return tf.matMul(this[0] as tf.Tensor3D, this[1] as tf.Tensor3D);
        },
        [a, b],
      );
      const tensors = tf.memory().numTensors;
      const ours = slicedBatchMatMul3d(a, b);
      expect(ours.shape).toEqual([(sa as number[])[0], (sa as number[])[1], (sb as number[])[2]]);
      const expected = tf.tensor(ref, ours.shape);
      expect(maxDiff(ours, expected)).toBeLessThan(1e-5);
      expected.dispose();
      expect([...a.dataSync()]).toEqual(aBefore);
      expect([...b.dataSync()]).toEqual(bBefore);
      ours.dispose();
      expect(tf.memory().numTensors).toBe(tensors);
      tf.dispose([a, b]);
    },
  );

  it('the sliced product refuses operands that are not [n,m,k]·[n,k,p]', () => {
    const a = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    const b = tf.zeros([2, 5, 4]) as tf.Tensor3D;
    expect(() => slicedBatchMatMul3d(a, b)).toThrow(/not \[n,m,k\]·\[n,k,p\]/);
    tf.dispose([a, b]);
  });

  it.each([37, 40, 3])(
    'column sums of [%i, 5] equal tf.sum over rows on the CPU within 1e-5',
    async (rows) => {
      const x = tf.randomNormal([rows, 5], 0, 1, 'float32', 3) as tf.Tensor2D;
      const ours = runKernel<tf.Tensor1D>(COLUMN_SUMS, { x });
      const ref = await onCpu(
        function (this: tf.Tensor[]) {
          return tf.sum(this[0] as tf.Tensor, 0);
        },
        [x],
      );
      expect(ours.shape).toEqual([5]);
      expect(maxDiff(ours, tf.tensor(ref))).toBeLessThan(1e-5);
      tf.dispose([x, ours]);
    },
  );

  it('gathered rows equal tf.gather on the CPU, for ids of any shape (repeats included)', async () => {
    const table = tf.randomNormal([11, 6], 0, 1, 'float32', 4) as tf.Tensor2D;
    const ids = tf.tensor2d([0, 10, 3, 3, 7, 1], [2, 3], 'int32');
    const ours = wasmGatherRows(table, ids);
    const ref = await onCpu(
      function (this: tf.Tensor[]) {
        return tf.gather(this[0] as tf.Tensor, tf.tensor2d([0, 10, 3, 3, 7, 1], [2, 3], 'int32'));
      },
      [table],
    );
    expect(ours.shape).toEqual([2, 3, 6]);
    expect([...ours.dataSync()]).toEqual(ref);
    tf.dispose([table, ids, ours]);
  });

  it('an id outside the table is an error naming it, and leaves nothing behind', () => {
    const table = tf.zeros([4, 2]) as tf.Tensor2D;
    const ids = tf.tensor1d([1, 4], 'int32');
    const tensors = tf.memory().numTensors;
    expect(() => wasmGatherRows(table, ids)).toThrow(/id 4 at position 1 is not in \[0, 3\]/);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([table, ids]);
  });

  it.each([
    [37, 70],
    [64, 32],
    [1, 5],
  ])('the 2-D transpose of [%i, %i] equals tf.transpose on the CPU', async (r, c) => {
    const x = tf.randomNormal([r, c], 0, 1, 'float32', 6) as tf.Tensor2D;
    const ours = wasmTranspose2d(x);
    const ref = await onCpu(
      function (this: tf.Tensor[]) {
        return tf.transpose(this[0] as tf.Tensor);
      },
      [x],
    );
    expect(ours.shape).toEqual([c, r]);
    expect([...ours.dataSync()]).toEqual(ref);
    tf.dispose([x, ours]);
  });

  it('Identity shares memory: a clone outlives its source, and the last of them frees it', () => {
    const bytes = tf.memory().numBytes;
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect([...y.dataSync()]).toEqual([1, 2, 3]);
    const z = tf.add(y, 1); // the shared memory is still a valid kernel input
    expect([...z.dataSync()]).toEqual([2, 3, 4]);
    tf.dispose([y, z]);
    expect(tf.memory().numBytes).toBe(bytes);
    const backend = tf.backend() as unknown as { dataIdMap: { numDataIds(): number } };
    const ids = backend.dataIdMap.numDataIds();
    const a = tf.tensor([5, 6]);
    const b = tf.clone(a);
    expect(backend.dataIdMap.numDataIds()).toBe(ids + 1); // one buffer for both
    tf.dispose([a, b]);
    expect(backend.dataIdMap.numDataIds()).toBe(ids);
  });
});
