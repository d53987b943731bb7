import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { chooseBackend, restartWasmFor } from './backend';

// Node's build registers WASM and the CPU backend only: WebGPU and WebGL cannot start here.
describe('chooseBackend', () => {
  it('a single backend asked for that cannot start is refused with its own reason alone', async () => {
    await expect(chooseBackend(['webgpu'])).rejects.toThrow(
      /^The webgpu backend is not part of this build\.$/,
    );
  });

  it('when none of several starts, each is named with its reason', async () => {
    await expect(chooseBackend(['webgpu', 'webgl'])).rejects.toThrow(
      'No compute backend could start (tried webgpu, webgl: webgpu: the webgpu backend is not part of this build; webgl: the webgl backend is not part of this build). Try a current Chrome or Edge, or enable WebAssembly.',
    );
  });
});

describe('restartWasmFor: a thread count WASM fixes when it starts', () => {
  it('starts WASM again for another count only where threads can run and it holds no tensor', async () => {
    await chooseBackend(['wasm']);
    const first = tf.findBackend('wasm');
    // Node's WASM build has no threads: nothing to start again for.
    expect(restartWasmFor(2, false)).toBe(false);
    expect(tf.findBackend('wasm')).toBe(first);
    // Where threads run (forced here), a WASM holding a tensor nobody named keeps its count: it would be lost.
    const stray = tf.tensor([1, 2, 3]);
    expect(restartWasmFor(2, true)).toBe(false);
    expect(tf.findBackend('wasm')).toBe(first);
    expect(await stray.data()).toEqual(new Float32Array([1, 2, 3]));
    stray.dispose();
    // The tensors held (a model that scores) move to the host; WASM starts again, and they compute there after.
    const weight = tf.variable(tf.tensor([1, 2]));
    expect(restartWasmFor(2, true, [weight])).toBe(true);
    await chooseBackend(['wasm']);
    expect(tf.findBackend('wasm')).not.toBe(first);
    expect(await tf.add(weight, tf.tensor([3, 4])).data()).toEqual(new Float32Array([4, 6]));
    expect(tf.findBackend('wasm')!.numDataIds()).toBeGreaterThan(0); // the weight moved back to compute
    weight.dispose();
    expect(restartWasmFor(1, true)).toBe(false); // the same count (Node's one thread): nothing to do
  });
});
