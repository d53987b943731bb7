import { expect, test } from '@playwright/test';
import { strFromU8 } from 'fflate';
import { writeFileSync } from 'node:fs';
import { sampleReviews } from '../src/core/data/sample';
import { expectAccessible } from './a11y';
import { finished } from './backendRun';
import { downloadWeights } from './fixtures';

/** 300 sample reviews with a column of tags: the item, and "liked" for a rating of 4 or 5. */
function taggedCsv(path: string) {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = sampleReviews(300, 31).map(
    (r) => `${q(r.review)},${[r.item, r.rating >= 4 ? 'liked' : ''].filter(Boolean).join(';')}`,
  );
  writeFileSync(path, ['review,tags', ...lines].join('\n'));
}

test('several labels at once: a tag column chosen, a run, the metrics per label, and an export by Hugging Face’s rule', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  const csv = info.outputPath('tagged.csv');
  taggedCsv(csv);
  await page.goto('/');
  await page.getByLabel('Backend for training').selectOption('wasm');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText('300 rows');
  await page.getByLabel('What to predict').selectOption('tags');
  await page.getByLabel('Tag column').selectOption('tags');
  await expect(page.getByLabel('Tag separator')).toHaveValue(';');
  // The Data step counts the rows of each label; the settings follow: the task is multi-label.
  await expect(page.getByRole('figure', { name: 'Rows per label' })).toBeVisible();
  await expect(page.getByLabel('Task')).toHaveValue('multi-label');
  await expect(page.getByLabel('Task')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Check the labels', exact: true })).toBeDisabled();
  await expect(page.getByText('with several labels at once it is not available yet')).toBeVisible();
  await expectAccessible(page, 'a tag column chosen');
  await page.getByText('from scratch (offline').click();
  await page.getByLabel('Epochs').fill('2');
  await page.getByLabel('Batch size').fill('16');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  await page.getByRole('button', { name: 'Start training' }).click();
  await finished(page);

  // The validation chart: the macro AUC and a line per label.
  await expect(page.getByRole('figure', { name: 'Validation chart' })).toContainText('validation macro AUC');
  await expect(page.getByRole('figure', { name: 'Validation chart' })).toContainText('AUC liked');
  await expect(page.getByLabel('Run outcome')).toContainText(
    /\d labels \(.*liked.*\), each with its own AUC/,
  );
  const perLabel = page.getByRole('table', { name: 'Metrics per label' });
  await expect(perLabel.locator('tbody tr').filter({ hasText: 'liked' })).toHaveCount(1);
  await expect(perLabel.locator('tbody tr').first().locator('td').first()).toHaveText(
    /^0\.\d{3} \(0\.\d{3}–[01]\.\d{3}\)$|one class only/,
  );
  await expect(page.getByTestId('classical-verdict')).toContainText('Per label (fine-tuned against baseline');
  // Try it: each label's probability.
  await expect(page.getByLabel('Predicted score')).toContainText(/P\(liked\) 0\.\d{3}/);
  await expectAccessible(page, 'the results per label');

  const { files } = await downloadWeights(page, info);
  const config = JSON.parse(strFromU8(files['tabtune-model/config.json']!)) as Record<string, unknown> & {
    tabtune: { labels: string[]; label_thresholds: number[] };
  };
  expect(config.problem_type).toBe('multi_label_classification');
  expect(config.id2label).toEqual(Object.fromEntries(config.tabtune.labels.map((l, i) => [String(i), l])));
  expect(config.tabtune.labels).toContain('liked');
  expect(config.tabtune.label_thresholds).toHaveLength(config.tabtune.labels.length);
  const metrics = JSON.parse(strFromU8(files['tabtune-model/metrics.json']!)) as {
    final: { test: { per_label: object; macro_auc: number } };
  };
  expect(Object.keys(metrics.final.test.per_label).sort()).toEqual([...config.tabtune.labels].sort());
});
