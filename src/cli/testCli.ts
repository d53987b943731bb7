import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from './main';

/*
 * How the CLI's tests run it: as a user does (a fresh Node process, `npm run cli`'s entry), or in the test's own
 * process (fast; for errors that end before any backend starts).
 */

const root = new URL('../../', import.meta.url).pathname;

/** `npm run cli -- …args` in a fresh Node: its exit code, stderr and stdout. */
export function cli(...args: string[]): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/index.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** The CLI's `main` in this process, its stderr captured and its stdout dropped. */
export async function inProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args), stderr };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}
