import { expect, test } from '@playwright/test';
import { readGolden, readInputs, serveHubModel } from './fixtures';

const maxAbs = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number))));

test('a forward pass on WebGPU in the worker matches Hugging Face within 1e-3', async ({ page }, info) => {
  const requested = await serveHubModel(page, 'tabtune-test/tiny-bert', 'st-gelu');
  await page.goto('/');
  await page.getByText('Check the model: a forward pass on your text').click();
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');

  await page.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(
    page.getByRole('definition').filter({ hasText: 'huggingface.co/tabtune-test/tiny-bert (main)' }),
  ).toBeVisible();
  expect(requested).toContain('/tabtune-test/tiny-bert/resolve/main/model.safetensors');

  // Row 0 of the sample CSV as a text pair, at the golden vectors' max length.
  const inputs = readInputs();
  const golden = readGolden('st-gelu');
  await page
    .getByLabel('Text', { exact: true })
    .fill(
      'I ordered this dress in a size 6 and it fit perfectly! The fabric is soft, and the color is exactly as pictured.',
    );
  await page.getByLabel('Second text (optional: user or context)').fill('Customer, 34, usually wears S');
  await page.getByLabel('Forward-pass max length (tokens)').fill('24');
  await page.getByRole('button', { name: 'Run forward pass' }).click();
  const raw = page.getByLabel('Raw output');
  await expect(raw).toHaveCount(1);
  const [record] = JSON.parse((await raw.textContent()) ?? '[]');
  expect(record.input_ids).toEqual(inputs.pair[0].input_ids);
  expect(record.token_type_ids).toEqual(inputs.pair[0].token_type_ids);
  expect(maxAbs(record.cls, golden.pair.cls[0])).toBeLessThan(1e-3);
  expect(maxAbs(record.pooled, golden.pair.pooled[0])).toBeLessThan(1e-3);
  await page.screenshot({ path: info.outputPath('forward-pass.png'), fullPage: true });
});

test('a model id the Hub does not know shows a clear message and the page keeps working', async ({
  page,
}) => {
  await page.route('https://huggingface.co/**', (route) =>
    route.fulfill({
      status: 401,
      body: 'Repository not found',
      headers: { 'access-control-allow-origin': '*' },
    }),
  );
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await page.getByLabel('Hugging Face model id').fill('nobody/no-such-model');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(page.getByRole('alert')).toContainText('does not exist, is private or gated');
  await expect(page.getByRole('button', { name: 'Load from Hugging Face' })).toBeEnabled();
});

test('dropped pytorch_model.bin files (gelu_new, legacy names) run on WebGPU and match', async ({ page }) => {
  await page.goto('/');
  await page.getByText('Check the model: a forward pass on your text').click();
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  const dir = new URL('../test-fixtures/models/bin-gelu-new-legacy/', import.meta.url).pathname;
  await page
    .getByLabel('Or load checkpoint files from disk')
    .setInputFiles(
      ['config.json', 'vocab.txt', 'tokenizer_config.json', 'pytorch_model.bin'].map((f) => dir + f),
    );
  await expect(page.getByRole('definition').filter({ hasText: 'pytorch_model.bin' })).toBeVisible();
  await page
    .getByLabel('Text', { exact: true })
    .fill(
      'I ordered this dress in a size 6 and it fit perfectly! The fabric is soft, and the color is exactly as pictured.',
    );
  await page.getByLabel('Forward-pass max length (tokens)').fill('24');
  await page.getByRole('button', { name: 'Run forward pass' }).click();
  const [record] = JSON.parse((await page.getByLabel('Raw output').textContent()) ?? '[]');
  const golden = readGolden('bin-gelu-new-legacy');
  expect(record.input_ids).toEqual(readInputs().single[0].input_ids);
  expect(maxAbs(record.pooled, golden.single.pooled[0])).toBeLessThan(1e-3);
});

test('a corrupt checkpoint shows a clear message and the page keeps working', async ({ page }) => {
  await serveHubModel(page, 'tabtune-test/tiny-bert', 'st-gelu');
  await page.route('https://huggingface.co/tabtune-test/broken/resolve/**', async (route) => {
    const file = new URL(route.request().url()).pathname.split('/').pop();
    const headers = { 'access-control-allow-origin': '*' };
    if (file === 'config.json')
      return route.fulfill({
        status: 200,
        body: JSON.stringify({ hidden_size: 16, num_attention_heads: 2 }),
        headers,
      });
    if (file === 'vocab.txt')
      return route.fulfill({ status: 200, body: '[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n', headers });
    if (file === 'model.safetensors')
      return route.fulfill({ status: 200, body: Buffer.from([200, 0, 0, 0, 0, 0, 0, 0, 123]), headers });
    return route.fulfill({ status: 404, body: '', headers });
  });
  await page.goto('/');
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/broken');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'model.safetensors (huggingface.co/tabtune-test/broken (main)) is not a valid safetensors file',
  );
  // The page still works: a good model loads next.
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('definition').filter({ hasText: 'tabtune-test/tiny-bert' })).toBeVisible();
});
