import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { main } from './main';

// A run that ends on a NaN loss (the trainer's own test makes one for real; data that passes the CLI's checks
// cannot): the CLI must end with the run's message as a user error, not as "a TabTune bug".
const message =
  'The loss became NaN or infinite at step 3; training stopped and the weights from before that step are kept. Lower the learning rate (now 0.5) or check the labels.';
vi.mock('../core/train/run', () => ({
  runTraining: async () => ({
    model: { dispose: () => {} },
    checkpoint: { rawConfig: {}, tokenizerFiles: new Map(), tokenizerConfig: {} },
    record: { result: { reason: 'nan', message } },
  }),
}));
vi.mock('../core/train/export', () => ({
  exportFiles: async () => new Map([['config.json', new Uint8Array()]]),
}));

const tmp = mkdtempSync(join(tmpdir(), 'tabtune-nan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cli train after a NaN stop', () => {
  it('writes what it has, then ends with the message and exit 1, not as a bug', async () => {
    const data = join(tmp, 'd.csv');
    writeFileSync(data, sampleCsv(40, 1));
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    const code = await main([
      'train',
      '--model',
      'scratch',
      '--data',
      data,
      '--text-column',
      'review',
      '--label-column',
      'rating',
      '--out',
      join(tmp, 'out'),
    ]);
    spy.mockRestore();
    expect(code).toBe(1);
    expect(stderr).toMatch(/wrote the model to /);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(`error: ${message}`);
    expect(stderr).not.toMatch(/bug/);
  });
});
