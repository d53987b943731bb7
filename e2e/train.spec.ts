import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { sampleCsv } from '../src/core/data/sample';
import { expectAccessible, overflows, withLargeFonts } from './a11y';
import { downloadWeights, openAdvanced, serveHubModel } from './fixtures';

async function shot(page: Page, path: string) {
  await page.screenshot({ path, fullPage: true });
}

test('a new user trains BERT in the browser on WebGPU, downloads the weights and reloads them', async ({
  page,
  browser,
}, info) => {
  test.setTimeout(300_000);
  await serveHubModel(page, 'tabtune-test/tiny-bert', 'st-gelu');
  const csvPath = info.outputPath('reviews.csv');
  mkdirSync(info.outputDir, { recursive: true });
  writeFileSync(csvPath, sampleCsv(100, 21));

  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await expectAccessible(page, 'the studio, opened');

  // The sample data is ready on first open; then the user picks their own CSV and the roles are guessed.
  await expect(page.getByLabel('Dataset summary')).toContainText('sample-reviews.csv: 1,000 rows');
  await page.getByLabel('Choose a CSV file').setInputFiles(csvPath);
  await expect(page.getByLabel('Dataset summary')).toContainText('100 rows, 4 columns');
  await expect(page.getByLabel('Text column', { exact: true })).toHaveValue('review');
  await expect(page.getByLabel('Rating column')).toHaveValue('rating');
  await expect(page.getByLabel('Usable rows', { exact: true })).toContainText(
    '100 usable rows; 0 cannot be used',
  );
  await expect(page.getByLabel('Rating histogram')).toBeVisible();
  await expectAccessible(page, 'the data, dropped');
  expect(await withLargeFonts(page, () => overflows(page, 'Data preview'))).toBe(true);
  await shot(page, info.outputPath('1-data.png'));

  // 2. Model: a checkpoint from the (intercepted) Hub.
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(page.getByRole('definition').filter({ hasText: 'tabtune-test/tiny-bert' })).toBeVisible();
  await expectAccessible(page, 'the model, loaded');
  await shot(page, info.outputPath('2-model.png'));

  // 3. Train: a short run.
  await page.getByLabel('Epochs').fill('2');
  await page.getByLabel('Batch size').fill('8');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  await page.getByLabel('Learning rate').fill('0.001');
  await openAdvanced(page);
  await page.getByLabel('Evaluations per epoch').fill('2');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByLabel('Training status')).toContainText(/Step \d+ of 20/, { timeout: 120_000 });
  await expect(page).toHaveTitle(/\d+% — TabTune/);
  // While it trains, the data and the model it uses cannot change under it.
  await expect(page.getByLabel('Choose a CSV file')).toBeDisabled();
  // The steps fold to a line each of what the run uses: they can be looked at ("Show"), not changed.
  await expect(page.getByTestId('data-summary')).toHaveText(
    'reviews.csv, 100 usable rows: text “review” with “customer”, rating “rating”',
  );
  await expect(page.getByTestId('model-summary')).toContainText('tabtune-test/tiny-bert');
  await expect(page.getByTestId('settings-summary')).toContainText(
    '2 epoch(s), learning rate 0.001, batch 8, up to 24 tokens',
  );
  await expect(page.getByLabel('Epochs')).toBeHidden();
  await page.getByRole('button', { name: 'Show the settings' }).click();
  await expect(page.getByLabel('Epochs')).toBeDisabled();
  await page.getByRole('button', { name: 'Collapse the settings' }).click();
  await expect(page.getByLabel('Epochs')).toBeHidden();
  await expect(
    page.getByRole('button', { name: 'Try with sample data', includeHidden: true }),
  ).toBeDisabled();
  // The page stays responsive while the Worker trains: a frame is painted promptly.
  const frameMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const t = performance.now();
        requestAnimationFrame(() => resolve(performance.now() - t));
      }),
  );
  expect(frameMs).toBeLessThan(500);
  await expect(page.getByLabel('Validation chart')).toHaveAttribute('data-points', /^[2-9]|\d\d/, {
    timeout: 120_000,
  });
  await expect(page.getByLabel('Training loss chart')).not.toHaveAttribute('data-points', '0');
  // The classical baseline, fitted before training, is a labelled reference line on the validation chart.
  await expect(page.getByLabel('Validation chart')).toHaveAttribute('data-classical-auc', /^0\.\d+|^1$/);
  await expect(page.getByLabel('Validation chart').locator('.recharts-reference-line')).toHaveCount(1);
  await expect(page.getByLabel('Validation chart')).toContainText(/TF-IDF baseline \d\.\d{3}/);
  // What a person watches fits a 1400 × 900 window together: the controls, the progress and the live charts,
  // brought into view when the run started (e2e/runInView.spec.ts checks it at two window sizes).
  await page.setViewportSize({ width: 1400, height: 900 });
  const top = (await page.getByRole('button', { name: 'Pause' }).boundingBox())!.y;
  const charts = await page.locator('.charts.live').boundingBox();
  expect(top).toBeGreaterThanOrEqual(0);
  expect(charts!.y + charts!.height).toBeLessThanOrEqual(900);
  await expectAccessible(page, 'training');
  await shot(page, info.outputPath('3-training.png'));
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 180_000,
  });
  await expect(page.getByLabel('Run outcome')).toContainText('Best weights chosen by validation AUC.');
  // After it, the steps stay folded beside the results; "Edit" opens one, to change it for the next run.
  await expect(page.getByTestId('settings-summary')).toBeVisible();
  await page.getByRole('button', { name: 'Edit the settings' }).click();
  await expect(page.getByLabel('Epochs')).toBeEnabled();
  await expect(page.getByRole('table', { name: 'Metrics' })).toContainText('Test, after');
  await expect(page.getByRole('table', { name: 'Metrics' })).toContainText('Test, classical baseline');
  await expect(page.getByTestId('classical-verdict')).toContainText(
    /Classical baseline: TF-IDF .* \+ ridge .*The (fine-tuned model beats the classical baseline by [\d.]+ test AUC|classical baseline is [\d.]+ test AUC ahead|fine-tuned model and the classical baseline are not distinguishable on \d+ test rows).*95 % interval of the difference/,
  );
  await expect(page.getByRole('table', { name: 'Metrics' })).toContainText(
    /Test, after\s*\d+\s*0\.\d{3} \(0\.\d{3}–[01]\.\d{3}\)/,
  );
  await expect(page.getByLabel('ROC curve')).not.toHaveAttribute('data-points', '0');
  await expect(page.getByRole('table', { name: 'Worst errors' }).locator('tbody tr')).toHaveCount(10);

  // 4. Try it (scored as you type) and rank candidates, then 5. download the weights.
  const review = 'This dress: love it, fits perfectly, soft fabric.';
  await page.getByLabel('Try it: type a review (scored as you type)').fill(review);
  await expect(page.getByLabel('Predicted score')).toBeVisible();
  await page.waitForTimeout(1500); // let the debounced scoring of the final text land
  const scored = (await page.getByLabel('Predicted score').locator('strong').textContent()) ?? '';
  await page.getByRole('button', { name: 'Rank' }).click();
  await expect(page.getByRole('list', { name: 'Ranked candidates' }).locator('li')).toHaveCount(3);
  await page.getByRole('button', { name: 'Why this score?' }).click();
  await expect(page.getByRole('figure', { name: 'Why this score' })).toBeVisible();
  await page.getByText('The words that moved it most, as numbers').click();
  await expectAccessible(page, 'the results, with a score explained');
  await shot(page, info.outputPath('4-results.png'));
  const { zipPath, files } = await downloadWeights(page, info);
  const names = Object.keys(files).map((n) => n.replace('tabtune-model/', ''));
  expect(names.sort()).toEqual(
    [
      'README.md',
      'config.json',
      'metrics.json',
      'model.safetensors',
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
      'train_hf.py',
      'training_config.json',
      'vocab.txt',
    ].sort(),
  );
  const exported = JSON.parse(new TextDecoder().decode(files['tabtune-model/metrics.json']));
  expect(exported.classical_baseline).toMatchObject({
    fitted: true,
    result: { validation: { auc: expect.any(Number) }, test: { auc: expect.any(Number) } },
  });
  await page.getByText('Use the model in a web page (transformers.js)').click();
  await expectAccessible(page, 'the export');
  // With large fonts the code overflows its region (so the check above saw it scroll), and a keyboard scrolls it.
  await withLargeFonts(page, async () => {
    expect(await overflows(page, 'transformers.js code')).toBe(true);
    const code = page.getByRole('region', { name: 'transformers.js code' });
    await code.focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => code.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  });
  await shot(page, info.outputPath('5-export.png'));

  // A fresh page loads the downloaded weights and scores the same text the same way.
  const fresh = await browser.newPage();
  await fresh.goto('/');
  await expect(fresh.getByTestId('backend-name')).toHaveText('webgpu');
  // The downloaded zip itself is what the user drops back in.
  await fresh.getByLabel('Or load checkpoint files from disk').setInputFiles(zipPath);
  await expect(fresh.getByRole('definition').filter({ hasText: 'model.safetensors' })).toBeVisible();
  await fresh.getByLabel('Try it: type a review (scored as you type)').fill(review);
  await expect(fresh.getByLabel('Predicted score').locator('strong')).toHaveText(scored);
  await shot(fresh, info.outputPath('6-reloaded.png'));

  // New ratings arrive: the downloaded model trains further on a new CSV, keeping its head, task and scale.
  const newer = info.outputPath('new-reviews.csv');
  writeFileSync(newer, sampleCsv(60, 22));
  await fresh.getByLabel('Choose a CSV file').setInputFiles(newer);
  await expect(fresh.getByLabel('Dataset summary')).toContainText('new-reviews.csv: 60 rows');
  await fresh.getByLabel('Epochs').fill('1');
  await fresh.getByLabel('Batch size').fill('8');
  await fresh.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  await fresh.getByRole('button', { name: 'Start training' }).click();
  await expect(fresh.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 180_000,
  });
  await expect(fresh.getByLabel('Training log')).toContainText(
    /Continuing the fine-tuning of .*its head, scale and threshold are kept/,
  );
});

test('a file that is not a CSV gets a clear message and the page keeps working', async ({ page }, info) => {
  await page.goto('/');
  // The file input is enabled once the Worker is up and the sample data is read.
  await expect(page.getByLabel('Dataset summary')).toContainText('sample-reviews.csv');
  const bad = info.outputPath('photo.png');
  mkdirSync(info.outputDir, { recursive: true });
  writeFileSync(bad, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await page.getByLabel('Choose a CSV file').setInputFiles(bad);
  await expect(page.getByRole('alert')).toContainText('photo.png is not a CSV file');
  await page.getByRole('button', { name: 'Try with sample data' }).click();
  await expect(page.getByLabel('Dataset summary')).toContainText('1,000 rows');
});

test('a CSV without a usable label is explained, and the page keeps working', async ({ page }, info) => {
  await page.goto('/');
  await expect(page.getByLabel('Dataset summary')).toContainText('sample-reviews.csv');
  const csv = info.outputPath('no-labels.csv');
  mkdirSync(info.outputDir, { recursive: true });
  writeFileSync(
    csv,
    'review,stars\n' + Array.from({ length: 30 }, (_, i) => `"Lovely top number ${i}",n/a`).join('\n') + '\n',
  );
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText('no-labels.csv: 30 rows');
  await page.getByLabel('Rating column').selectOption('stars');
  await expect(page.getByLabel('Usable rows', { exact: true })).toContainText(
    '0 usable rows; 30 cannot be used',
  );
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'no-labels.csv has 0 usable row(s) (of 30); TabTune needs at least 8. First unusable: line 2, label "n/a" in "stars" is not a number',
  );
  await page.getByRole('button', { name: 'Try with sample data' }).click();
  await expect(page.getByLabel('Dataset summary')).toContainText('sample-reviews.csv: 1,000 rows');
});

test('with a user column and users kept to one split, Results rank each user’s rows', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await page.goto('/');
  const csv = info.outputPath('by-user.csv');
  mkdirSync(info.outputDir, { recursive: true });
  const lines = sampleCsv(160, 5).trimEnd().split('\n');
  writeFileSync(csv, `${lines.map((l, i) => `${l},${i === 0 ? 'user' : `u${i % 16}`}`).join('\n')}\n`);
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText('by-user.csv: 160 rows');
  await page.getByLabel('Group column (optional)').selectOption('user');
  await openAdvanced(page);
  await page.getByLabel('Keep groups in one split').check();
  await page.getByText('from scratch (offline').click();
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 180_000,
  });
  const ranking = page.getByRole('table', { name: 'Ranking metrics' });
  await expect(ranking).toContainText('Test, after');
  await expect(ranking).toContainText('Test, classical baseline');
  await expect(ranking.locator('tbody tr').first()).toContainText(
    /Validation, before fine-tuning\s*\d+\s*0\.\d{4}/,
  );
});
