/// <reference lib="webworker" />

/**
 * Where the studio keeps the running run's saved state, so that a reload or a crash does not lose it. The
 * Worker's store is the Origin Private File System: two slots and a small manifest written last. A state is
 * written whole into the slot the manifest does not name, flushed, and only then does the manifest name it,
 * so a crash at any point leaves the previous state readable (a sync access handle writes in place, so
 * overwriting the one good copy would not be safe).
 */
export interface RunStore {
  /** Keeps `bytes` as the saved state, replacing the previous one only once it is fully written. */
  save(bytes: Uint8Array): Promise<void>;
  /** The saved states, newest first (the one the manifest names, then the other slot): the caller reads the first that decodes. */
  load(): Promise<Uint8Array[]>;
  clear(): Promise<void>;
}

/** A store in memory (tests; and where OPFS is not available, a reload loses the run as before). */
export function memoryRunStore(): RunStore {
  let saved: Uint8Array | null = null;
  return {
    save: async (bytes) => void (saved = bytes.slice()),
    load: async () => (saved ? [saved] : []),
    clear: async () => void (saved = null),
  };
}

const DIR = 'tabtune-run';
const SLOTS = ['state-a.safetensors', 'state-b.safetensors'] as const;
const MANIFEST = 'manifest.json';

/**
 * The Origin Private File System store (Worker only: it writes through sync access handles), in its own folder: a
 * run's state in "tabtune-run", a settings search's in "tabtune-search".
 */
export function opfsRunStore(folder = DIR): RunStore {
  const dir = async () =>
    (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
  const write = async (d: FileSystemDirectoryHandle, name: string, bytes: Uint8Array) => {
    const handle = await (await d.getFileHandle(name, { create: true })).createSyncAccessHandle();
    try {
      handle.truncate(0);
      const written = handle.write(bytes, { at: 0 });
      if (written !== bytes.byteLength) throw new Error(`wrote ${written} of ${bytes.byteLength} bytes`);
      handle.flush();
    } finally {
      handle.close();
    }
  };
  const read = async (d: FileSystemDirectoryHandle, name: string): Promise<Uint8Array | null> => {
    try {
      return new Uint8Array(await (await (await d.getFileHandle(name)).getFile()).arrayBuffer());
    } catch {
      return null;
    }
  };
  const current = async (d: FileSystemDirectoryHandle): Promise<number | null> => {
    try {
      const slot = (
        JSON.parse(new TextDecoder().decode((await read(d, MANIFEST)) ?? undefined)) as { slot: number }
      ).slot;
      return slot === 0 || slot === 1 ? slot : null;
    } catch {
      return null; // no manifest yet, or one cut short by a crash: both slots are still tried
    }
  };
  return {
    async save(bytes) {
      const d = await dir();
      const next = (await current(d)) === 0 ? 1 : 0;
      await write(d, SLOTS[next], bytes);
      await write(d, MANIFEST, new TextEncoder().encode(JSON.stringify({ slot: next })));
    },
    async load() {
      const d = await dir();
      const first = (await current(d)) === 1 ? 1 : 0;
      const files = await Promise.all([read(d, SLOTS[first]), read(d, SLOTS[first === 0 ? 1 : 0])]);
      return files.filter((f): f is Uint8Array => f !== null && f.byteLength > 0);
    },
    async clear() {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry(folder, { recursive: true }).catch(() => undefined);
    },
  };
}
