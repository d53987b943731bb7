import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GpuFailure, GpuHealth, isWebglRefusal } from './gpuHealth';

describe('GPU health', () => {
  it("tells TF.js's WebGL refusals (a lost context fails every compile) from other errors", () => {
    for (const m of [
      'Failed to compile fragment shader.',
      'Failed to link vertex and fragment shaders.',
      'Unable to create WebGLTexture.',
      'Requested texture size [70000x1] greater than WebGL maximum on this browser / GPU [16384x16384].',
      'WebGL context lost',
    ])
      expect(isWebglRefusal(m), m).toBe(true);
    for (const m of ['Cannot read properties of undefined', 'The CSV has no rows', 'NaN loss at step 3'])
      expect(isWebglRefusal(m), m).toBe(false);
  });

  it('on a host backend nothing is a GPU failure, but a GpuFailure thrown is one', async () => {
    await tf.setBackend('cpu');
    const h = new GpuHealth();
    h.watch();
    expect(h.failure()).toBeNull();
    expect(await h.explain(new Error('Failed to compile fragment shader.'), 10)).toBeNull();
    const f = new GpuFailure('webgl', 'gone');
    expect(await h.explain(f, 10)).toBe(f);
    expect(f.message).toBe('The GPU context (WebGL) was lost (gone).');
    expect(new GpuFailure('webgpu', 'x', 'refused').message).toBe('WebGPU refused part of the work (x).');
  });
});
