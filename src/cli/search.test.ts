import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { cli, inProcess } from './testCli';

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
