/// <reference lib="webworker" />
import { isTabTuneError, TabTuneError } from '../core/errors';
import { parseHistoryEntry, sortHistory, type HistoryEntry } from '../core/train/history';

/**
 * Where the studio keeps every finished run (its record, not its weights): one JSON file per run in the Origin
 * Private File System, written to a temporary name, flushed, then moved into place — so a crash leaves either the
 * whole record or none. A file that cannot be read is named in `unreadable` and left as it is.
 */
export interface RunHistory {
  list(): Promise<{ entries: HistoryEntry[]; unreadable: string[] }>;
  add(entry: HistoryEntry): Promise<void>;
  remove(id: string): Promise<void>;
}

export function memoryRunHistory(): RunHistory {
  const entries = new Map<string, string>();
  return {
    list: async () => ({
      entries: sortHistory([...entries].map(([id, text]) => parseHistoryEntry(text, `${id}.json`))),
      unreadable: [],
    }),
    add: async (e) => void entries.set(e.id, JSON.stringify(e)),
    remove: async (id) => void entries.delete(id),
  };
}

const DIR = 'tabtune-history';

export function opfsRunHistory(): RunHistory {
  const dir = async () => (await navigator.storage.getDirectory()).getDirectoryHandle(DIR, { create: true });
  return {
    async list() {
      const d = await dir();
      const entries: HistoryEntry[] = [];
      const unreadable: string[] = [];
      for await (const [name, handle] of d as unknown as AsyncIterable<[string, FileSystemHandle]>) {
        if (!name.endsWith('.json') || handle.kind !== 'file') continue;
        try {
          const text = await (await (handle as FileSystemFileHandle).getFile()).text();
          entries.push(parseHistoryEntry(text, `${DIR}/${name}`));
        } catch (e) {
          unreadable.push(isTabTuneError(e) ? e.message : `${DIR}/${name}: ${String(e)}`);
        }
      }
      return { entries: sortHistory(entries), unreadable };
    },
    async add(entry) {
      const d = await dir();
      const tmp = await d.getFileHandle(`${entry.id}.tmp`, { create: true });
      const handle = await tmp.createSyncAccessHandle();
      try {
        const bytes = new TextEncoder().encode(JSON.stringify(entry));
        handle.truncate(0);
        if (handle.write(bytes, { at: 0 }) !== bytes.byteLength) throw new Error('the write was cut short');
        handle.flush();
      } finally {
        handle.close();
      }
      await (tmp as unknown as { move(name: string): Promise<void> }).move(`${entry.id}.json`);
    },
    async remove(id) {
      if (!/^[\w-]+$/.test(id))
        throw new TabTuneError('usage', `No saved run is called ${JSON.stringify(id)}.`);
      await (await dir()).removeEntry(`${id}.json`);
    },
  };
}
