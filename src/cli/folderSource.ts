import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckpointSource } from '../core/checkpoint/source';

/** A checkpoint folder on disk (Node only). */
export function folderSource(dir: string): CheckpointSource {
  const abs = resolve(dir);
  return {
    description: `folder ${dir}`,
    async read(file) {
      const p = join(abs, file);
      return existsSync(p) && statSync(p).isFile() ? new Uint8Array(readFileSync(p)) : null;
    },
  };
}
