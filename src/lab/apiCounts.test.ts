import { describe, expect, it } from 'vitest';
import { countGpuCalls, type GpuClasses } from './apiCounts';

/** Stand-ins for WebGPU's classes, each method recording that it ran. */
function fakeGpu() {
  const ran: string[] = [];
  class GPUComputePassEncoder {
    dispatchWorkgroups(x: number) {
      ran.push(`dispatch ${x}`);
    }
    dispatchWorkgroupsIndirect() {
      ran.push('indirect');
    }
  }
  class GPUQueue {
    submit() {
      ran.push('submit');
    }
    writeBuffer() {
      ran.push('write');
    }
  }
  class GPUBuffer {
    mapAsync() {
      ran.push('map');
      return Promise.resolve();
    }
  }
  return {
    classes: { GPUComputePassEncoder, GPUQueue, GPUBuffer } as unknown as GpuClasses,
    ran,
    GPUComputePassEncoder,
    GPUQueue,
    GPUBuffer,
  };
}

describe('countGpuCalls', () => {
  it('counts dispatches, submits, uploads and readbacks while the work runs, and only then', async () => {
    const gpu = fakeGpu();
    const [pass, queue, buffer] = [new gpu.GPUComputePassEncoder(), new gpu.GPUQueue(), new gpu.GPUBuffer()];
    pass.dispatchWorkgroups(1); // before: not counted
    const { result, counts } = await countGpuCalls(async () => {
      pass.dispatchWorkgroups(2);
      pass.dispatchWorkgroups(3);
      pass.dispatchWorkgroupsIndirect();
      queue.writeBuffer();
      queue.submit();
      await buffer.mapAsync();
      return 'done';
    }, gpu.classes);
    pass.dispatchWorkgroups(4); // after: not counted
    expect(result).toBe('done');
    expect(counts).toEqual({ dispatches: 3, submits: 1, uploads: 1, readbacks: 1 });
    // The wrapped methods still do their work, once each.
    expect(gpu.ran).toEqual([
      'dispatch 1',
      'dispatch 2',
      'dispatch 3',
      'indirect',
      'write',
      'submit',
      'map',
      'dispatch 4',
    ]);
    // Wrapping twice counts once.
    const again = await countGpuCalls(async () => pass.dispatchWorkgroups(5), gpu.classes);
    expect(again.counts!.dispatches).toBe(1);
  });

  it('counts nothing where there is no WebGPU', async () => {
    expect(await countGpuCalls(async () => 7, null)).toEqual({ result: 7, counts: null });
  });
});
