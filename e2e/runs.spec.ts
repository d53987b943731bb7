import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { sampleCsv } from '../src/core/data/sample';
import { openAdvanced, startScratchRun } from './fixtures';

// Every finished run is kept in the browser: the Runs panel lists them after a reload, overlays the curves of the
// ticked ones, and deletes one.
test('two runs overlay in the Runs panel, stay after a reload, and one is deleted', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  mkdirSync(info.outputDir, { recursive: true });
  const csvPath = info.outputPath('reviews.csv');
  writeFileSync(csvPath, sampleCsv(120, 21));
  await page.goto('/');
  const outcome = page.getByLabel('Run outcome');
  await startScratchRun(page, csvPath, {
    rows: 120,
    epochs: 1,
    batchSize: 16,
    maxLength: 16,
    evalsPerEpoch: 2,
  });
  await expect(outcome).toContainText(/Training completed|Early stopping/, { timeout: 120_000 });
  await openAdvanced(page);
  await page.getByLabel('Seed').fill('7');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(outcome).toContainText(/Training completed|Early stopping/, { timeout: 120_000 });

  const runs = page.getByRole('table', { name: 'Saved runs' });
  await expect(runs.locator('tbody tr')).toHaveCount(2);
  await expect(runs).toContainText('reviews.csv');
  const auc = page.getByLabel('Validation AUC of the ticked runs');
  await expect(auc).toHaveAttribute('data-runs', '2');
  await expect(auc.locator('.recharts-line')).toHaveCount(2);
  await expect(page.getByLabel('Validation loss of the ticked runs').locator('.recharts-line')).toHaveCount(
    2,
  );

  await page.reload();
  await expect(runs.locator('tbody tr')).toHaveCount(2);
  const second = runs.locator('tbody tr').nth(1);
  await second.getByRole('button', { name: /^Delete/ }).click();
  await expect(runs.locator('tbody tr')).toHaveCount(1);
  await page.reload();
  await expect(runs.locator('tbody tr')).toHaveCount(1);
  await expect(auc).toHaveAttribute('data-runs', '1');
});
