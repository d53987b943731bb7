import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './testCli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';

const tmp = mkdtempSync(join(tmpdir(), 'tabtune-explain-'));
const model = join(tmp, 'model');
const rows = join(tmp, 'rows.csv');

const texts = ['--text-column', 'review', '--text-pair-column', 'customer'];

beforeAll(() => {
  writeFileSync(join(tmp, 'train.csv'), sampleCsv(200, 21));
  // Five rows to explain, and one without readable text (it is skipped, and said).
  const lines = sampleCsv(5, 22).trimEnd().split('\n');
  lines.splice(3, 0, '"   ",dress,"petite, 20s",3');
  writeFileSync(rows, `${lines.join('\n')}\n`);
  const r = cli(
    'train',
    '--model',
    'scratch',
    '--data',
    join(tmp, 'train.csv'),
    ...texts,
    '--label-column',
    'rating',
    '--epochs',
    '1',
    '--batch-size',
    '16',
    '--max-length',
    '32',
    '--no-classical',
    '--out',
    model,
  );
  if (r.code !== 0) throw new Error(r.stderr);
}, 240_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cli explain: why each row got its score', () => {
  it('writes one JSON line per row: tokens, attributions adding up to score − baseline_score, and words', () => {
    const out = join(tmp, 'why.jsonl');
    const r = cli('explain', '--model', model, '--data', rows, ...texts, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('1 row(s) have no readable text in "review" and are not explained');
    expect(r.stderr).toContain('integrated gradients, 32 steps, of the predicted rating');
    const lines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.line)).toEqual([2, 3, 5, 6, 7]);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['line', 'tokens', 'attributions', 'score', 'baseline_score', 'words']);
      expect(l.tokens[0]).toBe('[CLS]');
      expect(l.tokens).toContain('[SEP]');
      expect(l.attributions).toHaveLength(l.tokens.length);
      const sum = l.attributions.reduce((a: number, b: number) => a + b, 0);
      expect(Math.abs(sum - (l.score - l.baseline_score))).toBeLessThan(
        0.01 * Math.abs(l.score - l.baseline_score) + 1e-6,
      );
      expect(l.words.some((w: { segment: number }) => w.segment === 1)).toBe(true); // the customer column
    }
  });

  it('--steps sets the path; a bad value and a missing column are refused by name', () => {
    const bad = cli(
      'explain',
      '--model',
      model,
      '--data',
      rows,
      ...texts,
      '--out',
      join(tmp, 'x.jsonl'),
      '--steps',
      '0',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--steps/);
    const missing = cli(
      'explain',
      '--model',
      model,
      '--data',
      rows,
      '--text-column',
      'comment',
      '--out',
      join(tmp, 'y.jsonl'),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/comment/);
  });
});
