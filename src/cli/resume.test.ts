import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../core/checkpoint/safetensors';
import { toFloat32 } from '../core/checkpoint/rawTensor';
import { sampleCsv } from '../core/data/sample';
import { STATE_FILE } from './train';

const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-resume-'));
const data = join(tmp, 'train.csv');
const whole = join(tmp, 'whole');
const cut = join(tmp, 'cut');
const entry = ['--import', 'tsx', join(root, 'src/cli/index.ts')];
const trainFlags = (out: string) => [
  'train',
  '--model',
  'scratch',
  '--data',
  data,
  '--text-column',
  'review',
  '--label-column',
  'rating',
  '--epochs',
  '3',
  '--batch-size',
  '16',
  '--max-length',
  '32',
  '--evals-per-epoch',
  '3',
  '--no-classical',
  '--out',
  out,
];

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [...entry, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, stderr: r.stderr };
}

/** Starts `train`, and kills it (SIGKILL: no clean-up runs) once it has saved its state. */
async function trainKilledAfterFirstSave(out: string): Promise<void> {
  const child = spawn(process.execPath, [...entry, ...trainFlags(out)], { cwd: root, stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (!existsSync(join(out, STATE_FILE))) return;
      clearInterval(poll);
      child.kill('SIGKILL');
      resolve();
    }, 50);
    child.on('exit', () => (clearInterval(poll), reject(new Error('the run ended before it saved a state'))));
  });
}

const weightsOf = (dir: string) =>
  new Map(
    [...readSafetensors(readFileSync(join(dir, 'model.safetensors')))].map(([n, t]) => [
      n,
      toFloat32(t, n, dir),
    ]),
  );

let wholeRun: ReturnType<typeof cli>;
beforeAll(async () => {
  writeFileSync(data, sampleCsv(240, 3));
  wholeRun = cli(...trainFlags(whole));
  await trainKilledAfterFirstSave(cut);
}, 480_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cli train --resume', () => {
  it('refuses changed data by fingerprint, then ends a killed run with the uninterrupted run’s weights and metrics', () => {
    expect(wholeRun.code).toBe(0);
    expect(existsSync(join(whole, 'run-state'))).toBe(false); // removed once the run ended
    const original = readFileSync(data, 'utf8');
    writeFileSync(
      data,
      original.replace(/,(\d)\n/, (_, r) => `,${r === '5' ? 4 : 5}\n`),
    ); // one rating changed
    const refused = cli('train', '--resume', cut);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /is not the data the saved run was trained on .*Load .*train\.csv as it was/,
    );
    writeFileSync(data, original);

    // Saved by an older TabTune, under "checkpoint": still resumed.
    renameSync(join(cut, 'run-state'), join(cut, 'checkpoint'));
    const resumed = cli('train', '--resume', cut);
    expect(resumed.stderr).toMatch(/Resuming the run in .* from step \d+ of 36/);
    expect(resumed.code).toBe(0);
    // It went on from the state (a restart from scratch would end with the same weights too).
    expect(resumed.stderr).toMatch(/Resuming from the saved state at step [1-9]\d* of 36/);
    expect(resumed.stderr).not.toMatch(/eval baseline/);
    const [a, b] = [weightsOf(whole), weightsOf(cut)];
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, w] of a) {
      const worst = w.reduce((m, x, i) => Math.max(m, Math.abs(x - b.get(name)![i]!)), 0);
      expect(worst, name).toBeLessThanOrEqual(1e-6);
    }
    const lines = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
    expect(lines(cut)).toBe(lines(whole));
    expect(existsSync(join(cut, 'run-state'))).toBe(false);
    expect(existsSync(join(cut, 'checkpoint'))).toBe(false);
  }, 240_000);

  it('says what to do when the folder holds no saved run, or other flags come with --resume', () => {
    const none = cli('train', '--resume', tmp);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/holds no saved run \(run-state\/run-state\.safetensors\).*start a new run/);
    const extra = cli('train', '--resume', cut, '--epochs', '5');
    expect(extra.code).toBe(1);
    expect(extra.stderr).toMatch(/Unknown option '--epochs'/);
  });
});
