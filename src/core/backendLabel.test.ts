import { describe, expect, it } from 'vitest';
import { describeBackend, threadsLabel } from './backendLabel';

describe('backend labels', () => {
  it('count threads in words, singular for one', () => {
    expect(threadsLabel(1)).toBe('1 thread');
    expect(threadsLabel(4)).toBe('4 threads');
  });
  it('name WASM with its threads and other backends alone', () => {
    expect(describeBackend('wasm', 4)).toBe('wasm (4 threads)');
    expect(describeBackend('webgpu', null)).toBe('webgpu');
  });
});
