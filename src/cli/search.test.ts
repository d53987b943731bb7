import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { spawn } from 'node:child_process';
import { decodeSearch } from '../core/search/saved';
import { cli, inProcess } from './testCli';

const root = new URL('../../', import.meta.url).pathname;
const entry = ['--import', 'tsx', join(root, 'src/cli/index.ts')];
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-search-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = join(tmp, 'reviews.csv');
const out = join(tmp, 'searched');
const cols = ['--text-column', 'review', '--label-column', 'rating'];
const small = ['--epochs', '2', '--max-length', '24', '--batch-size', '16'];

let run: ReturnType<typeof cli>;
beforeAll(() => {
  writeFileSync(data, sampleCsv(200, 5));
  run = cli(
    'search',
    '--model',
    'scratch',
    '--data',
    data,
    ...cols,
    ...small,
    '--trials',
    '5',
    '--no-lr-finder',
    '--out',
    out,
  );
}, 240_000);

describe('cli search', () => {
  it('writes the winner as train writes a run, and search.json with every trial', () => {
    expect(run.code, run.stderr).toBe(0);
    for (const f of [
      'config.json',
      'model.safetensors',
      'vocab.txt',
      'metrics.json',
      'metrics.jsonl',
      'README.md',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    const search = JSON.parse(readFileSync(join(out, 'search.json'), 'utf8'));
    expect(search.trials).toHaveLength(5);
    expect(search.trials[0]).toMatchObject({ origin: 'recipe', settings: { learningRate: 1e-3 } });
    for (const t of search.trials)
      expect(Object.keys(t)).toEqual(
        expect.arrayContaining(['settings', 'best_val_auc', 'steps', 'seconds', 'rung']),
      );
    expect(search.winner).toEqual(expect.any(Number));
    const winner = search.trials[search.winner];
    expect(winner.rung).toBe(2);
    // The export trained with the winner's settings, and says so.
    const config = JSON.parse(readFileSync(join(out, 'training_config.json'), 'utf8'));
    expect(config.learningRate).toBe(winner.settings.learningRate);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    expect(card).toMatch(/## Settings search\n\nThese settings were chosen by TabTune's settings search/);
    expect(card).toMatch(/validation AUC is optimistic/);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).search).toMatchObject({ trials: 5 });
    expect(run.stderr).toMatch(/Settings search: 5 trials by successive halving/);
    // Test is scored for the final run alone: the trials' evaluations are validation's.
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.split === 'test').map((l) => l.phase)).toEqual(['final']);
  });

  it('--resume goes on after the process is killed, to the same trials and winner', async () => {
    const cut = join(tmp, 'cut');
    const flags = ['search', '--model', 'scratch', '--data', data, ...cols, ...small, '--trials', '5'];
    const child = spawn(process.execPath, [...entry, ...flags, '--no-lr-finder', '--out', cut], {
      cwd: root,
      stdio: 'ignore',
    });
    await new Promise<void>((resolve, reject) => {
      // Killed (no clean-up runs) once two trials have trained: the state names them.
      const poll = setInterval(() => {
        const path = join(cut, 'search-state.zip');
        if (!existsSync(path)) return;
        try {
          if (decodeSearch(readFileSync(path), path).progress.trials.filter((t) => t.rung >= 0).length < 2)
            return;
        } catch {
          return; // written as we read: the next poll
        }
        clearInterval(poll);
        child.kill('SIGKILL');
        resolve();
      }, 50);
      child.on(
        'exit',
        () => (clearInterval(poll), reject(new Error('the search ended before it saved a state'))),
      );
    });
    const resumed = cli('search', '--resume', cut);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/Going on with the saved settings search: 5 trials, [2-5] have trained/);
    expect(existsSync(join(cut, 'search-state.zip'))).toBe(false);
    const whole = JSON.parse(readFileSync(join(out, 'search.json'), 'utf8'));
    const again = JSON.parse(readFileSync(join(cut, 'search.json'), 'utf8'));
    expect(again.winner).toBe(whole.winner);
    expect(again.trials.map((t: { rung: number }) => t.rung)).toEqual(
      whole.trials.map((t: { rung: number }) => t.rung),
    );
  }, 240_000);

  it('--resume where no search was saved says so', async () => {
    const r = await inProcess(['search', '--resume', tmp]);
    expect(r.stderr).toMatch(/holds no saved search \(search-state.zip\)/);
  });

  it('refuses a budget that is not a positive number of minutes, naming the flag', async () => {
    const r = await inProcess([
      'search',
      '--model',
      'scratch',
      '--data',
      data,
      ...cols,
      '--budget-minutes',
      '0',
      '--out',
      join(tmp, 'x'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --budget-minutes must be > 0 \(got 0\)\.$/m);
  });
});
