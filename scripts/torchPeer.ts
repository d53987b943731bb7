import { execFileSync } from 'node:child_process';

/** Debian's Python, which has python3-torch when it is installed (a pyenv `python3` may not). */
export const PYTHON = '/usr/bin/python3';

/** Whether PyTorch can be imported; says why not on stderr. The benchmarks' PyTorch peers need it. */
export function torchInstalled(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write(
      'pytorch: not installed (apt-get install python3-torch); no PyTorch peer in this run\n',
    );
    return false;
  }
}
