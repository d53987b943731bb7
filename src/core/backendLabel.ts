/** How a backend is named to people (the studio's badge, run records, the CLI). Pure; no TF.js. */

/** "1 thread", "4 threads": WASM computes on this many of the machine's cores. */
export function threadsLabel(threads: number): string {
  return threads === 1 ? '1 thread' : `${threads} threads`;
}

/** "webgpu", or "wasm (4 threads)" where the thread count is known. */
export function describeBackend(name: string, threads: number | null): string {
  return threads === null ? name : `${name} (${threadsLabel(threads)})`;
}
