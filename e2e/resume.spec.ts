import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { sampleCsv } from '../src/core/data/sample';
import { downloadWeights, startScratchRun } from './fixtures';

/** Opens `url` on WebGPU and starts a 36-step run from scratch on 120 reviews; returns the CSV's path. */
async function startOnWebGpu(page: Page, info: TestInfo, url: string): Promise<string> {
  mkdirSync(info.outputDir, { recursive: true });
  const csvPath = info.outputPath('reviews.csv');
  writeFileSync(csvPath, sampleCsv(120, 31));
  await page.goto(url);
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await startScratchRun(page, csvPath, {
    rows: 120,
    epochs: 3,
    batchSize: 8,
    maxLength: 24,
    evalsPerEpoch: 3,
  });
  return csvPath;
}

test('a run interrupted by a reload is offered again, refuses other data, and resumes from its saved step', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  const csvPath = await startOnWebGpu(page, info, '/');
  const saved = page.getByLabel('Saved state');
  await expect(saved).toContainText(/Saved in this browser at step \d+ of 36/, { timeout: 120_000 });
  const savedAt = Number(/step (\d+) of/.exec((await saved.textContent()) ?? '')![1]);

  // A reload ends the Worker mid-run, as a crash would.
  await page.reload();
  const banner = page.getByRole('region', { name: 'Saved run' });
  await expect(banner).toContainText(`reviews.csv, from scratch, step ${savedAt} of 36`);
  // The page opened with its sample data: the banner names the file to load, and the Worker refuses the rows.
  await expect(page.getByLabel('Dataset summary')).toContainText('sample-reviews.csv');
  await expect(banner).toContainText(
    'The loaded file is sample-reviews.csv; this run was trained on reviews.csv.',
  );
  await page.getByRole('button', { name: `Resume run from step ${savedAt} of 36` }).click();
  await expect(page.getByRole('alert')).toContainText(
    /sample-reviews.csv is not the data the saved run was trained on \(reviews.csv/,
  );
  await page.screenshot({ path: info.outputPath('1-saved-run.png'), fullPage: true });

  await page.getByLabel('Choose a CSV file').setInputFiles(csvPath);
  await expect(page.getByLabel('Dataset summary')).toContainText('120 rows');
  await page.getByRole('button', { name: `Resume run from step ${savedAt} of 36` }).click();
  // It goes on past the saved step (the status shows the saved points first: they come back with the state).
  const stepNow = async () =>
    Number(/Step (\d+) of/.exec((await page.getByLabel('Training status').textContent()) ?? '')?.[1] ?? 0);
  await expect.poll(stepNow, { timeout: 120_000 }).toBeGreaterThan(savedAt);
  await expect(page.getByLabel('Epochs')).toHaveValue('3'); // the form shows the run's own settings
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 180_000,
  });
  // The loss chart has every step's point, those before the reload included (the state keeps them).
  await expect(page.getByLabel('Training loss chart')).toHaveAttribute(
    'data-points',
    String(await stepNow()),
  );
  await page.getByText(/^Log \(/).click();
  await expect(page.getByLabel('Training log')).toContainText(
    `Resuming from the saved state at step ${savedAt} of 36.`,
  );
  await expect(banner).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('2-resumed.png'), fullPage: true });

  // The run ended: nothing is offered after another reload.
  await page.reload();
  await expect(page.getByLabel('Dataset summary')).toContainText('sample-reviews.csv');
  await expect(page.getByRole('region', { name: 'Saved run' })).toHaveCount(0);
});

/** Calls one of the page's test hooks (`test.html`), which break WebGPU as a real failure would. */
async function testHook(page: Page, hook: 'loseDevice' | 'gpuError') {
  await page.evaluate(
    (h) => (window as unknown as { tabtuneTest: Record<string, () => Promise<void>> }).tabtuneTest[h]!(),
    hook,
  );
}

/**
 * Starts a run on WebGPU, lets it save a state, then breaks WebGPU through a test hook (`test.html`): the run
 * must move to another backend and end. Returns the opened training log.
 */
async function breakWebGpuMidRun(page: Page, info: TestInfo, hook: 'loseDevice' | 'gpuError') {
  await startOnWebGpu(page, info, '/test.html');
  await expect(page.getByLabel('Saved state')).toContainText(/at step \d+ of 36/, { timeout: 120_000 });
  await testHook(page, hook);
  await expect(page.getByTestId('backend-name')).not.toHaveText('webgpu', { timeout: 60_000 });
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 240_000,
  });
  await page.getByText(/^Log \(/).click();
  return page.getByLabel('Training log');
}

test('a lost WebGPU device moves the run to the next backend, which goes on from the saved step', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  const log = await breakWebGpuMidRun(page, info, 'loseDevice');
  await expect(log).toContainText(
    /The GPU device was lost \(.+\)\. Training moves to \w+ and goes on from its state saved at step \d+\./,
  );
  await expect(log).toContainText(/Resuming from the saved state at step \d+ of 36\./);
  await expect(page.getByRole('alert')).toHaveCount(0); // nothing for the user to fix: the run went on
  await page.screenshot({ path: info.outputPath('device-lost.png'), fullPage: true });
});

// WebGPU drops a kernel it refuses (a validation error) and says so only in an event; what was computed after it
// is garbage. The run must not go on with it, nor keep a state that may hold it: it starts again on the next
// backend, and says why.
test('work WebGPU refuses mid-run sends the run to the next backend, from the beginning, and says so', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  const log = await breakWebGpuMidRun(page, info, 'gpuError');
  await expect(log).toContainText(
    /WebGPU refused part of the run's work \(.+\), so its numbers since then are wrong\. Training moves to \w+ and starts again from the beginning\./,
  );
  await expect(log).not.toContainText('Resuming from the saved state');
});

// Outside a run nothing moves to another backend by itself: scores computed after WebGPU refused work are not
// shown, the message says what to do, and the trained weights can still be downloaded.
test('after WebGPU refused work, a score is not shown but explained, and the weights still download', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  mkdirSync(info.outputDir, { recursive: true });
  const csvPath = info.outputPath('reviews.csv');
  writeFileSync(csvPath, sampleCsv(60, 37));
  await page.goto('/test.html');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await startScratchRun(page, csvPath, { rows: 60, epochs: 1, batchSize: 8, maxLength: 16 });
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 180_000,
  });
  await testHook(page, 'gpuError');
  await page.getByLabel('Try it: type a review (scored as you type)').fill('soft fabric, fits well');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    /WebGPU refused part of TabTune's work \(.+\), so what it computed since/,
  );
  await expect(alert).toHaveAttribute('data-kind', 'backend');
  await expect(page.getByLabel('Predicted score')).toHaveCount(0);
  const { files } = await downloadWeights(page, info);
  expect(Object.keys(files)).toContain('tabtune-model/model.safetensors');
});
