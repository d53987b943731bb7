import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { sampleCsv } from '../src/core/data/sample';
import { startScratchRun } from './fixtures';

// Training lives in the Worker: a tab the user leaves (another tab in front, the page hidden) keeps training.
test('training goes on while its tab is hidden', async ({ page }, info) => {
  test.setTimeout(240_000);
  mkdirSync(info.outputDir, { recursive: true });
  const csvPath = info.outputPath('reviews.csv');
  writeFileSync(csvPath, sampleCsv(250, 33));
  await page.goto('/');
  await startScratchRun(page, csvPath, { rows: 250, epochs: 1, batchSize: 8, maxLength: 16 });
  const status = page.getByLabel('Training status');
  await expect(status).toContainText(/Step \d+ of 25/, { timeout: 120_000 });

  // Headless Chromium keeps every page visible (bringing another tab to the front does not hide this one), so the
  // page is told it is hidden the way a browser tells it: visibilityState "hidden" and a visibilitychange event.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const stepNow = async () => Number(/Step (\d+) of/.exec((await status.textContent()) ?? '')?.[1] ?? 0);
  const hiddenAt = await stepNow();
  await expect.poll(stepNow, { timeout: 60_000 }).toBeGreaterThan(hiddenAt + 2); // it trains while hidden
  await expect(page).toHaveTitle(/\d+% — TabTune/); // and the tab's title says how far it is
  expect(await page.evaluate(() => document.visibilityState)).toBe('hidden');
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 180_000,
  });
});
