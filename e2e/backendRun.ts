import { expect, type Browser, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { sampleCsv } from '../src/core/data/sample';
import { downloadWeights, openAdvanced } from './fixtures';

/** What backends.spec.ts and webgl.spec.ts share: a short scratch run's set-up, and a whole run on one backend. */
const REVIEW = 'Soft fabric, fits perfectly, I love this dress.';

export function csvFor(info: TestInfo, rows: number, seed: number): string {
  mkdirSync(info.outputDir, { recursive: true });
  const path = info.outputPath('reviews.csv');
  writeFileSync(path, sampleCsv(rows, seed));
  return path;
}

/** Chooses the CSV, "from scratch" and a short run's settings (two evaluations). */
export async function setUpRun(page: Page, csv: string, rows: number) {
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText(`${rows.toLocaleString('en')} rows`);
  await page.getByText('from scratch (offline').click();
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Batch size').fill('8');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  await openAdvanced(page);
  await page.getByLabel('Evaluations per epoch').fill('2');
}

export async function finished(page: Page) {
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 240_000,
  });
}

export const decision = (page: Page) => page.getByTestId('backend-decision');
/**
 * A backend's figure in the badge's details (folded until asked, so the list is found hidden too): WASM's first
 * (TF.js's thread count) unless `threads` names another.
 */
export const measured = (page: Page, backend: string, threads?: number) =>
  page
    .getByRole('list', { name: 'Measured backends', includeHidden: true })
    .locator(`li[data-backend="${backend}"]${threads ? `[data-threads="${threads}"]` : ''}`)
    .first();

/**
 * Opens the studio, chooses `backend` by hand, and trains a short run from scratch on `rows` sample reviews (drawn
 * with `seed`) to its end; returns the CSV's path.
 */
export async function shortRun(page: Page, info: TestInfo, backend: string, rows: number, seed: number) {
  const csv = csvFor(info, rows, seed);
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).not.toHaveText('', { timeout: 60_000 });
  await page.getByLabel('Backend for training').selectOption(backend);
  await expect(page.getByTestId('backend-name')).toHaveText(backend);
  await setUpRun(page, csv, rows);
  await page.getByRole('button', { name: 'Start training' }).click();
  await finished(page);
  return csv;
}

/** A whole short run on `backend`, chosen by hand; the export loads back in a fresh page and scores alike. */
export async function wholeRun(page: Page, browser: Browser, info: TestInfo, backend: string) {
  await shortRun(page, info, backend, 100, 61);
  await expect(page.getByTestId('backend-name')).toHaveText(backend);
  await expect(page.getByLabel('Validation chart')).toHaveAttribute('data-points', /^[2-9]|\d\d/);
  await expect(page.getByRole('table', { name: 'Metrics' })).toContainText('Test, after');
  await page.getByLabel('Try it: type a review (scored as you type)').fill(REVIEW);
  await expect(page.getByLabel('Predicted score')).toBeVisible();
  await page.waitForTimeout(1500); // the debounced scoring of the final text lands
  const scored = await page.getByLabel('Predicted score').locator('strong').textContent();
  const { zipPath, files } = await downloadWeights(page, info);
  const card = new TextDecoder().decode(files['tabtune-model/README.md']);
  expect(card).toContain(`Backend: ${backend}, chosen by hand (no measurement).`);

  const fresh = await browser.newPage();
  await fresh.goto('/');
  await fresh.getByLabel('Backend for training').selectOption(backend);
  await expect(fresh.getByTestId('backend-name')).toHaveText(backend);
  await fresh.getByLabel('Or load checkpoint files from disk').setInputFiles(zipPath);
  await expect(fresh.getByRole('definition').filter({ hasText: 'model.safetensors' })).toBeVisible();
  await fresh.getByLabel('Try it: type a review (scored as you type)').fill(REVIEW);
  await expect(fresh.getByLabel('Predicted score').locator('strong')).toHaveText(scored!);
  await fresh.close();
}
