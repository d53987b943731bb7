/*
 * WebGPU's own count of the work a step asks for, at the API: every compute dispatch (what a GPU driver pays for
 * each, 24–71 µs on Vulkan and Metal), queue submits, buffer uploads (queue.writeBuffer) and readbacks
 * (GPUBuffer.mapAsync). TF.js's kernel count only approximates the dispatches: a kernel may dispatch several times
 * or none (a reshape). The methods are wrapped once, on their prototypes, and count only while `countGpuCalls` runs.
 */

export interface ApiCounts {
  dispatches: number;
  submits: number;
  uploads: number;
  readbacks: number;
}

/** The WebGPU classes whose methods are counted (the global ones, or stand-ins in a test). */
export interface GpuClasses {
  GPUComputePassEncoder: { prototype: object };
  GPUQueue: { prototype: object };
  GPUBuffer: { prototype: object };
}

const counting: { counts: ApiCounts | null } = { counts: null };
const wrapped = new WeakSet<object>();

function wrap(proto: object, method: string, field: keyof ApiCounts): void {
  const target = proto as Record<string, unknown>;
  const original = target[method];
  if (typeof original !== 'function') return;
  target[method] = function (this: unknown, ...args: unknown[]) {
    if (counting.counts) counting.counts[field] += 1;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
}

/** Wraps the counted methods of `classes` once (a second call changes nothing). */
export function installGpuCounters(classes: GpuClasses): void {
  const { GPUComputePassEncoder: pass, GPUQueue: queue, GPUBuffer: buffer } = classes;
  if (!wrapped.has(pass.prototype)) {
    wrap(pass.prototype, 'dispatchWorkgroups', 'dispatches');
    wrap(pass.prototype, 'dispatchWorkgroupsIndirect', 'dispatches');
    wrapped.add(pass.prototype);
  }
  if (!wrapped.has(queue.prototype)) {
    wrap(queue.prototype, 'submit', 'submits');
    wrap(queue.prototype, 'writeBuffer', 'uploads');
    wrapped.add(queue.prototype);
  }
  if (!wrapped.has(buffer.prototype)) {
    wrap(buffer.prototype, 'mapAsync', 'readbacks');
    wrapped.add(buffer.prototype);
  }
}

/** This context's WebGPU classes, or null where there is no WebGPU (Node, a browser without it). */
export function globalGpuClasses(): GpuClasses | null {
  const g = globalThis as unknown as Partial<GpuClasses>;
  return g.GPUComputePassEncoder && g.GPUQueue && g.GPUBuffer ? (g as GpuClasses) : null;
}

/**
 * Runs `work` and counts the WebGPU calls made until it settles; null counts where there is no WebGPU. One count at
 * a time: the work should be awaited to its end (a readback) so that everything it asked for is counted.
 */
export async function countGpuCalls<T>(
  work: () => Promise<T>,
  classes: GpuClasses | null = globalGpuClasses(),
): Promise<{ result: T; counts: ApiCounts | null }> {
  if (!classes) return { result: await work(), counts: null };
  installGpuCounters(classes);
  const counts: ApiCounts = { dispatches: 0, submits: 0, uploads: 0, readbacks: 0 };
  counting.counts = counts;
  try {
    return { result: await work(), counts };
  } finally {
    counting.counts = null;
  }
}
