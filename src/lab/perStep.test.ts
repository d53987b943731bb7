import { describe, expect, it } from 'vitest';
import { perStep } from './perStep';

const entry = {
  shape: 'tiny',
  backend: 'webgpu',
  batchSize: 8,
  trainExamplesPerSecond: 400,
  profile: { kernels: 502, kernelMs: 12.344, api: { trainStep: { dispatches: 261, submits: 19 } } },
};

describe('perStep', () => {
  it('splits a step into its kernels’ time and the rest, with the API counts', () => {
    expect(perStep([entry])).toEqual([
      {
        shape: 'tiny',
        msPerStep: 20,
        kernelMs: 12.34,
        otherMs: 7.66,
        kernels: 502,
        dispatches: 261,
        submits: 19,
      },
    ]);
  });

  it('leaves out other backends, unprofiled or failed entries, and a result that is not a list', () => {
    expect(
      perStep([
        { ...entry, backend: 'wasm' },
        { ...entry, profile: undefined },
        { ...entry, trainExamplesPerSecond: 0 },
      ]),
    ).toEqual([]);
    expect(perStep({ error: 'no WebGPU' })).toEqual([]);
  });

  it('says null where the API was not counted', () => {
    const [row] = perStep([{ ...entry, profile: { kernels: 1, kernelMs: 1 } }]);
    expect(row?.dispatches).toBeNull();
    expect(row?.submits).toBeNull();
  });
});
