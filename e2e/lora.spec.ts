import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { sampleCsv } from '../src/core/data/sample';
import { downloadWeights, openAdvanced, serveHubModel } from './fixtures';

const REVIEW = 'This dress: love it, fits perfectly, soft fabric.';

// LoRA in the studio on WebGPU: only the low-rank updates and the head train; the download holds the merged model and
// the adapter PEFT loads, and each loads back (the adapter onto its base model) and scores as the trained model did.
test('LoRA fine-tuning on WebGPU; the merged model and the adapter both load back and score alike', async ({
  page,
  browser,
}, info) => {
  test.setTimeout(300_000);
  await serveHubModel(page, 'tabtune-test/tiny-bert', 'st-gelu');
  mkdirSync(info.outputDir, { recursive: true });
  const csvPath = info.outputPath('reviews.csv');
  writeFileSync(csvPath, sampleCsv(100, 21));
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await page.getByLabel('Choose a CSV file').setInputFiles(csvPath);
  await expect(page.getByLabel('Dataset summary')).toContainText('100 rows');
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  const trainable = page.getByTestId('trainable-parameters');
  await expect(trainable).not.toContainText('529 of');
  await page.getByLabel('Fine-tune', { exact: true }).selectOption('lora');
  await page.getByLabel('LoRA rank r').fill('4');
  // 2 layers × query and value × r (16 + 16), and the head's 17: far fewer than every weight.
  await expect(trainable).toContainText('529 of');
  const memory = page.getByTestId('memory-estimate');
  expect(Number(await memory.getAttribute('data-bytes'))).toBeLessThan(
    Number(await memory.getAttribute('data-full-bytes')),
  );
  await page.getByLabel('Epochs').fill('2');
  await page.getByLabel('Batch size').fill('8');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  await page.getByLabel('Learning rate').fill('0.01');
  await openAdvanced(page);
  await page.getByLabel('Early-stopping patience (0: off)').fill('0'); // the last weights: the adapter has trained
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 180_000,
  });
  await expect(page.getByLabel('Training log')).toContainText('LoRA: r 4, alpha 16 (scaling 4) on 4 layers');
  await page.getByLabel('Try it: type a review (scored as you type)').fill(REVIEW);
  await page.waitForTimeout(1500);
  const scored = (await page.getByLabel('Predicted score').locator('strong').textContent()) ?? '';
  expect(scored).not.toBe('');

  const { zipPath, files } = await downloadWeights(page, info);
  expect(Object.keys(files)).toEqual(
    expect.arrayContaining([
      'tabtune-model/model.safetensors',
      'tabtune-model/adapter/adapter_config.json',
      'tabtune-model/adapter/adapter_model.safetensors',
      'tabtune-model/train_hf.py',
    ]),
  );
  const adapterDir = info.outputPath('adapter');
  mkdirSync(adapterDir, { recursive: true });
  for (const name of ['adapter_config.json', 'adapter_model.safetensors'])
    writeFileSync(`${adapterDir}/${name}`, files[`tabtune-model/adapter/${name}`]!);
  expect(JSON.parse(readFileSync(`${adapterDir}/adapter_config.json`, 'utf8'))).toMatchObject({
    peft_type: 'LORA',
    task_type: 'SEQ_CLS',
    base_model_name_or_path: 'tabtune-test/tiny-bert',
    revision: 'main',
    r: 4,
    target_modules: ['query', 'value'],
  });

  // The merged model, from the zip, in a fresh page.
  const merged = await browser.newPage();
  await merged.goto('/');
  await expect(merged.getByTestId('backend-name')).toHaveText('webgpu'); // the inputs are enabled once it is up
  await merged.getByLabel('Or load checkpoint files from disk').setInputFiles(zipPath);
  await expect(merged.getByRole('definition').filter({ hasText: 'model.safetensors' })).toBeVisible();
  await merged.getByLabel('Try it: type a review (scored as you type)').fill(REVIEW);
  await expect(merged.getByLabel('Predicted score').locator('strong')).toHaveText(scored);

  // The adapter, onto its base model from the (intercepted) Hub, in another.
  const adapted = await browser.newPage();
  await serveHubModel(adapted, 'tabtune-test/tiny-bert', 'st-gelu');
  await adapted.goto('/');
  await expect(adapted.getByTestId('backend-name')).toHaveText('webgpu');
  await adapted.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await adapted.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(adapted.getByRole('definition').filter({ hasText: 'tabtune-test/tiny-bert' })).toBeVisible();
  await adapted
    .getByLabel('Or load checkpoint files from disk')
    .setInputFiles([`${adapterDir}/adapter_config.json`, `${adapterDir}/adapter_model.safetensors`]);
  await expect(
    adapted.getByRole('definition').filter({ hasText: '+ LoRA adapter (r 4, query, value)' }),
  ).toBeVisible();
  await adapted.getByLabel('Try it: type a review (scored as you type)').fill(REVIEW);
  await expect(adapted.getByLabel('Predicted score').locator('strong')).toHaveText(scored);
});

// BERT-base's shape with LoRA: one training step runs on WebGPU here (random weights, a tiny batch).
test('a LoRA training step of the BERT-base shape runs on WebGPU', async ({ page }) => {
  // About 3.3 minutes on an idle 2-core machine (110M weights drawn and uploaded, SwiftShader's slow steps): the
  // limit leaves room for a busy one.
  test.setTimeout(480_000);
  await page.goto('/bench.html?autorun=1&shapes=base&backends=webgpu&steps=1&batch=1&seq=16&lora=1');
  const out = page.locator('#out');
  await expect(out).toHaveAttribute('data-done', 'true', { timeout: 460_000 });
  const [result] = JSON.parse((await out.textContent()) ?? '[]');
  expect(result).toMatchObject({ backend: 'webgpu', shape: 'base', fineTune: 'lora r 8 (query, value)' });
  expect(result.trainExamplesPerSecond).toBeGreaterThan(0);
  expect(result.trainableParameters).toBe(12 * 2 * 8 * (768 + 768) + 768 + 1);
  expect(result.estimatedBytes).toBeGreaterThan(result.peakBytes);
});
