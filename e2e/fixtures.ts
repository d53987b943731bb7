import { readFileSync, readdirSync } from 'node:fs';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { unzipSync } from 'fflate';

const models = new URL('../test-fixtures/models/', import.meta.url).pathname;

export function readGolden(name: string) {
  return JSON.parse(readFileSync(`${models}${name}/golden.json`, 'utf8'));
}
export function readInputs() {
  return JSON.parse(readFileSync(`${models}inputs.json`, 'utf8'));
}

/**
 * Answers https://huggingface.co/{modelId}/resolve/{rev}/{file} from a test checkpoint on disk, 404
 * for files it lacks (as the Hub does), and records every request the page makes.
 */
export async function serveHubModel(page: Page, modelId: string, fixture: string) {
  const files = new Set(readdirSync(`${models}${fixture}`).filter((f) => f !== 'golden.json'));
  const requested: string[] = [];
  await page.route(`https://huggingface.co/${modelId}/resolve/**`, async (route) => {
    const url = new URL(route.request().url());
    requested.push(url.pathname);
    const file = url.pathname.split('/').pop() as string;
    if (!files.has(file))
      return route.fulfill({
        status: 404,
        body: 'Entry not found',
        headers: { 'access-control-allow-origin': '*' },
      });
    return route.fulfill({
      status: 200,
      body: readFileSync(`${models}${fixture}/${file}`),
      headers: { 'access-control-allow-origin': '*', 'content-type': 'application/octet-stream' },
    });
  });
  return requested;
}

/**
 * Loads `csv` (written from sampleCsv), picks "from scratch" and a small, quick run's settings, and presses
 * Start: the opening of every test that needs a run going.
 */
export async function startScratchRun(
  page: Page,
  csv: string,
  settings: { rows: number; epochs: number; batchSize: number; maxLength: number; evalsPerEpoch?: number },
): Promise<void> {
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText(`${settings.rows} rows`);
  await page.getByText('from scratch (offline').click();
  await page.getByLabel('Epochs').fill(String(settings.epochs));
  await page.getByLabel('Batch size').fill(String(settings.batchSize));
  await page.getByLabel('Max length (tokens)', { exact: true }).fill(String(settings.maxLength));
  if (settings.evalsPerEpoch !== undefined) {
    await openAdvanced(page);
    await page.getByLabel('Evaluations per epoch').fill(String(settings.evalsPerEpoch));
  }
  await page.getByRole('button', { name: 'Start training' }).click();
}

/** Presses "Download weights" and saves the zip in the test's output folder: its path and its files. */
export async function downloadWeights(page: Page, info: TestInfo) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download weights' }).click(),
  ]);
  const zipPath = info.outputPath('tabtune-model.zip');
  await download.saveAs(zipPath);
  return { zipPath, files: unzipSync(readFileSync(zipPath)) };
}

/**
 * Opens a step folded to its one-line summary (while a run holds the steps, and after it), as a person presses its
 * "Edit" ("Show" while a run trains); a step already open stays so.
 */
export async function openStep(page: Page, step: 'data' | 'model' | 'settings'): Promise<void> {
  const toggle = page.getByRole('button', { name: new RegExp(`^(Edit|Show) the ${step}$`) });
  if ((await toggle.count()) > 0) await toggle.click();
  await expect(page.locator(`#${step}-body`)).toBeVisible();
}

/** Opens the settings' Advanced part (folded by default), where the settings few change are. */
export async function openAdvanced(page: Page): Promise<void> {
  await openStep(page, 'settings');
  const advanced = page.locator('details.advanced');
  if ((await advanced.getAttribute('open')) === null) await advanced.locator('summary').click();
}
