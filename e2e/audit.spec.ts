import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { sampleReviews } from '../src/core/data/sample';
import { seededRandom } from '../src/core/data/split';
import { expectAccessible } from './a11y';
import { finished } from './backendRun';
import { downloadWeights } from './fixtures';

/** 300 sample reviews with 15 ratings flipped across the scale (r → 6 − r). */
function noisyCsv(path: string) {
  const rows = sampleReviews(300, 21);
  const random = seededRandom(5);
  const flipped = new Set<number>();
  while (flipped.size < 15) {
    const i = Math.floor(random() * rows.length);
    if (rows[i]!.rating !== 3) flipped.add(i);
  }
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = rows.map((r, i) => `${q(r.review)},${r.item},${flipped.has(i) ? 6 - r.rating : r.rating}`);
  writeFileSync(path, ['review,item,rating', ...lines].join('\n'));
}

test('Check the labels: the suspicious rows, a relabel and an exclusion, the retrained run against the one before, and its record', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  const csv = info.outputPath('reviews.csv');
  noisyCsv(csv);
  await page.goto('/');
  await page.getByLabel('Backend for training').selectOption('wasm');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText('300 rows');
  await page.getByLabel('Rating column').selectOption('rating');
  await page.getByLabel('Slice results by (optional)').selectOption('item');
  await page.getByText('from scratch (offline').click();
  await page.getByLabel('Epochs').fill('2');
  await page.getByLabel('Batch size').fill('16');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');

  // A first run, before any change.
  await page.getByRole('button', { name: 'Start training' }).click();
  await finished(page);

  // The audit: a summary, the rows most suspicious first, each with what to do in the next run.
  await page.getByRole('button', { name: 'Check the labels', exact: true }).click();
  await expect(page.getByLabel('Audit summary')).toContainText(/About \d+ of 300 labels \(.* %\) look wrong/);
  const rows = page.getByRole('table', { name: 'Most suspicious rows' }).locator('tbody tr');
  await expect(rows).toHaveCount(20);
  const lineOf = async (k: number) => Number(await rows.nth(k).locator('td').first().textContent());
  const [first, second] = [await lineOf(0), await lineOf(1)];
  // After a run, the fine-tuned model's own words for a row (integrated gradients), beside the linear model's.
  await page.getByRole('button', { name: `Why line ${first}, by the fine-tuned model` }).click();
  await expect(
    page.getByRole('figure', { name: `Why the model scores line ${first} as it does` }),
  ).toBeVisible();
  await expectAccessible(page, 'the label audit');

  // Every row at or above 0.99 excluded; then, per row, the first excluded and the second relabelled to its suggestion.
  await page.getByLabel('Exclude every row at or above suspicion').fill('0.99');
  await page.getByRole('button', { name: /^Exclude \d+ rows?$/ }).click();
  await expect(
    page.getByText(/The next run leaves out \d+ rows? of its training and validation rows/),
  ).toBeVisible();
  await page.getByLabel(`Line ${first}, next run`, { exact: true }).selectOption('exclude');
  const suggested = await rows.nth(1).locator('td').nth(3).textContent();
  await page.getByLabel(`Line ${second}, next run`, { exact: true }).selectOption(`relabel:${suggested}`);
  const decided = page.getByText(
    /The next run leaves out \d+ rows? and relabels 1 of its training and validation rows/,
  );
  await expect(decided).toBeVisible();
  const changed = Number((await decided.textContent())!.match(/leaves out (\d+)/)![1]) + 1;

  // The flagged rows download as CSV, most suspicious first, with the audit's columns.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download flagged rows' }).click();
  const flagged = readFileSync(await (await download).path()!, 'utf8');
  expect(flagged.split('\n')[0]).toBe('review,line,given,predicted,suggested,suspicion,words');
  expect(flagged.split('\n')[1]).toContain(`,${first},`);

  // The retrained run: Results say what changed and compare with the run before on the same test rows.
  await page.getByRole('button', { name: 'Start training' }).click();
  await finished(page);
  const note = page.getByTestId('label-changes');
  await expect(note).toContainText(
    /label changes from the studio's label audit: left out \d+ row\(s\), relabelled [01]/,
  );
  await expect(note).toContainText(
    /Against the run before: test AUC \d\.\d{3} against \d\.\d{3} \(difference [+−]\d\.\d{3}, 95 % interval .* paired on the same \d+ test rows\)/,
  );
  await expect(page.getByRole('table', { name: 'Saved runs' })).toContainText(
    /after a label audit: \d+ rows left out, [01] relabelled/,
  );
  // Where the model is weak: the held-out AUC per item, with intervals.
  // One row per item among the held-out rows (the sample has eight items): the rows carry the slice column.
  const itemRows = page.getByRole('table', { name: 'AUC by item' }).locator('tbody tr');
  await expect.poll(() => itemRows.count()).toBeGreaterThanOrEqual(4);
  await expect(page.getByLabel('Weak slices')).toContainText(
    /No value of item is reliably below the whole|Reliably below the whole: item = /,
  );
  await expectAccessible(page, 'a run after label changes');

  // Its record: metrics.json and the model card say what was left out and relabelled.
  const { files } = await downloadWeights(page, info);
  const metrics = JSON.parse(new TextDecoder().decode(files['tabtune-model/metrics.json']));
  // Every decision is accounted for: applied to training or validation, or kept as it is in test.
  const c = metrics.data.labelChanges;
  expect(c.source).toBe("the studio's label audit");
  expect(c.excluded + c.relabelled + c.untouchedInTest).toBe(changed);
  expect(new TextDecoder().decode(files['tabtune-model/README.md'])).toMatch(
    /After a label audit \(the studio's label audit\), \d+ training and validation row\(s\) were left out and [01] relabelled/,
  );
});
