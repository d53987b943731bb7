import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TabTuneError } from '../core/errors';

/** A path the command reads, with the flag that named it (null: not given). */
export interface InputPath {
  flag: string;
  path: string | null;
}

const same = (a: string, b: string) =>
  resolve(a) === resolve(b) || (existsSync(a) && existsSync(b) && realpathSync(a) === realpathSync(b));

/**
 * Checks a command's --out before any work, for every command: it is none of the command's inputs (writing
 * would overwrite the data or the model read), it is of the kind the command writes (a file, or a folder), and
 * a file's folder exists. A bad --out is refused with what to do, rather than failing after the work is done.
 */
export function checkOutput(out: string, kind: 'file' | 'folder', inputs: readonly InputPath[]): void {
  for (const { flag, path } of inputs) {
    if (path !== null && same(out, path))
      throw new TabTuneError(
        'usage',
        `--out ${out} is ${flag} ${path}: writing there would overwrite what this command reads. Give another path for --out.`,
      );
  }
  const exists = existsSync(out);
  if (kind === 'file') {
    if (exists && statSync(out).isDirectory())
      throw new TabTuneError(
        'usage',
        `--out ${out} is a folder; this command writes a file. Give a file path (for example ${join(out, 'out.json')}).`,
      );
    const folder = dirname(resolve(out));
    if (!existsSync(folder))
      throw new TabTuneError(
        'usage',
        `--out ${out}: the folder ${folder} does not exist. Create it, or give another path.`,
      );
  } else if (exists && !statSync(out).isDirectory()) {
    throw new TabTuneError(
      'usage',
      `--out ${out} is a file; this command writes a folder. Give a folder path.`,
    );
  }
}
