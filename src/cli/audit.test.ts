import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../core/data/csv';
import { sampleReviews } from '../core/data/sample';
import { seededRandom } from '../core/data/split';
import { inProcess } from './testCli';

// `cli audit` as a user runs it, and `train`/`baseline` taking its output back.
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-audit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) => inProcess(args);
const cols = ['--text-column', 'review', '--label-column', 'rating'];

/** 300 synthetic reviews with 15 ratings flipped across the scale; the flipped lines. */
function noisyCsv(file: string): Set<number> {
  const rows = sampleReviews(300, 11);
  const random = seededRandom(4);
  const flipped = new Set<number>();
  while (flipped.size < 15) {
    const i = Math.floor(random() * rows.length);
    if (rows[i]!.rating !== 3) flipped.add(i);
  }
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = rows.map((r, i) =>
    [q(r.review), r.item, String(flipped.has(i) ? 6 - r.rating : r.rating)].join(','),
  );
  writeFileSync(file, ['review,item,rating', ...lines].join('\n'));
  return new Set([...flipped].map((i) => i + 2)); // line 1 is the header
}

describe('cli audit', () => {
  const data = join(tmp, 'reviews.csv');
  const flippedLines = noisyCsv(data);
  const flagged = join(tmp, 'flagged.csv');

  it('writes every usable row, most suspicious first, with the input columns and the audit’s', async () => {
    const r = await run('audit', '--data', data, ...cols, '--out', flagged);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/audit: fold 5 of 5 predicted/);
    expect(r.stderr).toMatch(/About \d+ of 300 labels \(.* %\) look wrong/);
    const t = parseCsv(readFileSync(flagged, 'utf8'), 'flagged.csv');
    expect(t.columns).toEqual([
      'review',
      'item',
      'rating',
      'line',
      'given',
      'predicted',
      'suggested',
      'suspicion',
      'words',
    ]);
    expect(t.rows).toHaveLength(300);
    const suspicion = t.rows.map((row) => Number(row.values.suspicion));
    expect(suspicion).toEqual([...suspicion].sort((a, b) => b - a));
    const top = t.rows.slice(0, 15).filter((row) => flippedLines.has(Number(row.values.line)));
    expect(top.length).toBeGreaterThanOrEqual(10);
    for (const row of t.rows) expect(row.values.given).toBe(row.values.rating);
  });

  it('train --exclude … --above leaves those rows out and records it in metrics.json and the model card', async () => {
    const out = join(tmp, 'excluded');
    const r = await run(
      'train',
      '--model',
      'scratch',
      '--data',
      data,
      ...cols,
      '--epochs',
      '1',
      '--max-length',
      '16',
      '--no-classical',
      '--exclude',
      flagged,
      '--above',
      '0.9',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    const above = parseCsv(readFileSync(flagged, 'utf8'), 'f').rows.filter(
      (row) => Number(row.values.suspicion) >= 0.9,
    ).length;
    expect(above).toBeGreaterThan(0);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const c = m.data.labelChanges;
    expect(c.source).toBe('flagged.csv, suspicion ≥ 0.9');
    expect(c.excluded + c.untouchedInTest).toBe(above);
    expect(r.stderr).toContain(
      `label changes from flagged.csv, suspicion ≥ 0.9: left out ${c.excluded} row(s)`,
    );
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(
      /After a label audit \(flagged\.csv, suspicion ≥ 0\.9\), \d+ training and validation row\(s\) were left out/,
    );
  });

  it('refuses an audit of another file, and --above alone or out of range, by name', async () => {
    const other = join(tmp, 'other.csv');
    writeFileSync(
      other,
      readFileSync(data, 'utf8').replace(/,(\d)$/gm, (_, r) => `,${6 - Number(r)}`),
    );
    const mismatch = await run('baseline', '--data', other, ...cols, '--exclude', flagged);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(
      /^error: flagged\.csv, every row: \d+ line\(s\) of .*other\.csv no longer have the rating the audit saw \(line \d+: \d, audited as \d/m,
    );
    const alone = await run('baseline', '--data', data, ...cols, '--above', '0.9');
    expect(alone.stderr).toMatch(
      /^error: --above needs --exclude <flagged\.csv> or --relabel <flagged\.csv>\.$/m,
    );
    const range = await run('baseline', '--data', data, ...cols, '--exclude', flagged, '--above', '2');
    expect(range.stderr).toMatch(/^error: --above is a suspicion between 0 and 1 \(got 2\)\.$/m);
    const notAudit = await run('baseline', '--data', data, ...cols, '--relabel', data);
    expect(notAudit.stderr).toMatch(/reviews\.csv has no "line" column: it is not a label audit's output/);
  });

  it('--model fine-tunes it once per fold and joins it only where it ranks at least as well; not for classes', async () => {
    const out = join(tmp, 'flagged-model.csv');
    const r = await run(
      'audit',
      '--data',
      data,
      ...cols,
      '--model',
      'scratch',
      '--epochs',
      '1',
      '--max-length',
      '16',
      '--folds',
      '3',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/audit: scratch fine-tuned on the other folds and scored fold 3 of 3/);
    expect(r.stderr).toMatch(
      /The fine-tuned model's out-of-sample AUC \d\.\d{3} against the classical model's \d\.\d{3} .*on all 300 rows\): (the classical audit stands|both models' predictions are averaged)\./,
    );
    const classes = await run(
      'audit',
      '--data',
      data,
      ...cols,
      '--task',
      'classification',
      '--model',
      'scratch',
      '--folds',
      '3',
      '--out',
      join(tmp, 'f3.csv'),
    );
    expect(classes.stderr).toMatch(
      /The fine-tuned model's audit scores ratings \(regression\) and binary labels; for classes the classical audit stands/,
    );
  });

  it('refuses one rating for every row, too few rows for the folds, and --out equal to --data', async () => {
    const one = join(tmp, 'one.csv');
    writeFileSync(one, ['review,rating', ...Array.from({ length: 60 }, (_, i) => `text ${i},4`)].join('\n'));
    expect((await run('audit', '--data', one, ...cols, '--out', join(tmp, 'f1.csv'))).stderr).toMatch(
      /Every rating is 4: a model cannot learn from a single value/,
    );
    const few = join(tmp, 'few.csv');
    writeFileSync(
      few,
      [
        'review,rating',
        ...Array.from({ length: 30 }, (_, i) => `text ${i} ${i % 2 ? 'good' : 'bad'},${1 + (i % 5)}`),
      ].join('\n'),
    );
    expect((await run('audit', '--data', few, ...cols, '--out', join(tmp, 'f2.csv'))).stderr).toMatch(
      /An audit in 5 folds needs at least 50 labelled rows .* there are 30\. Use fewer folds/,
    );
    const same = await run('audit', '--data', data, ...cols, '--out', data);
    expect(same.stderr).toMatch(/--out .*reviews\.csv is --data/);
  });
});
