import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { inProcess } from './testCli';

const tmp = mkdtempSync(join(tmpdir(), 'tabtune-slices-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = join(tmp, 'reviews.csv');
writeFileSync(data, sampleCsv(240, 13));
const cols = ['--text-column', 'review', '--label-column', 'rating'];

describe('train --slice-column', () => {
  it('breaks the held-out AUC down by the column’s values, in metrics.json and the model card', async () => {
    const out = join(tmp, 'm');
    const r = await inProcess([
      'train',
      '--model',
      'scratch',
      '--data',
      data,
      ...cols,
      '--slice-column',
      'item',
      '--epochs',
      '1',
      '--max-length',
      '16',
      '--no-classical',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { slices } = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(slices).toMatchObject({ column: 'item', split: 'test', binned: false });
    expect(slices.slices.length).toBeGreaterThanOrEqual(6); // of the 8 items, those among the 24 test rows
    const { data: split } = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(slices.slices.reduce((n: number, s: { n: number }) => n + s.n, 0)).toBe(split.test);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    expect(card).toMatch(/## Where the model is weak\n\nTest AUC by `item`, against \d\.\d{3} overall\./);
    expect(card).toMatch(/\| item \| n \| AUC \(95 % interval\) \| reliably below \|/);
  });

  it('refuses a slice column the file does not have, naming it', async () => {
    const r = await inProcess(['baseline', '--data', data, ...cols, '--slice-column', 'department']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/department/);
  });
});
