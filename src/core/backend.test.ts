import { describe, expect, it } from 'vitest';
import { chooseBackend } from './backend';

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
