import type { FileCache } from '../core/checkpoint/source';

/** Downloaded model files, kept in Cache Storage so the next visit loads them without the network. */
export const MODEL_CACHE = 'tabtune-models-v1';

export function cacheStorage(): FileCache | null {
  if (typeof caches === 'undefined') return null;
  return {
    async get(url) {
      const hit = await (await caches.open(MODEL_CACHE)).match(url);
      return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
    },
    async put(url, bytes) {
      await (await caches.open(MODEL_CACHE)).put(url, new Response(new Uint8Array(bytes)));
    },
  };
}

/** Deletes every cached model file; returns how many files there were. */
export async function clearCacheStorage(): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  const n = (await (await caches.open(MODEL_CACHE)).keys()).length;
  await caches.delete(MODEL_CACHE);
  return n;
}
