import { expect, test } from '@playwright/test';
import { serveHubModel } from './fixtures';

test('a downloaded model is cached in the browser, reused on the next visit, and can be cleared', async ({
  page,
  context,
}) => {
  const requested = await serveHubModel(page, 'tabtune-test/tiny-bert', 'st-gelu');
  await page.goto('/');
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(
    page.getByRole('definition').filter({ hasText: /downloaded \(.+\) and cached/ }),
  ).toBeVisible();
  expect(requested.filter((p) => p.endsWith('model.safetensors'))).toHaveLength(1);

  // A second visit: the weights come from Cache Storage, not the network.
  const again = await context.newPage();
  const second = await serveHubModel(again, 'tabtune-test/tiny-bert', 'st-gelu');
  await again.goto('/');
  await again.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await again.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(again.getByRole('definition').filter({ hasText: 'from the browser cache' })).toBeVisible();
  expect(second.filter((p) => p.endsWith('model.safetensors'))).toHaveLength(0);

  await again.getByRole('button', { name: 'Clear the model cache' }).click();
  await expect(again.getByText(/Removed \d+ cached file\(s\)\./)).toBeVisible();
  expect(await again.evaluate(async () => (await caches.keys()).length)).toBe(0);
});

test('a download that breaks off says so and caches nothing', async ({ page }) => {
  await page.route('https://huggingface.co/tabtune-test/flaky/resolve/**', (route) =>
    route.abort('connectionreset'),
  );
  await page.goto('/');
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/flaky');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Could not reach huggingface.co for tabtune-test/flaky/config.json',
  );
  // The cache may exist (it was looked in), but holds no file.
  const cachedUrls = await page.evaluate(async () => {
    const all = await Promise.all(
      (await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)),
    );
    return all.flat();
  });
  expect(cachedUrls).toEqual([]);
});

test('a cancelled download says so, caches nothing, and the page keeps working', async ({ page }) => {
  // The weights never arrive, so the user cancels.
  await page.route('https://huggingface.co/tabtune-test/slow/resolve/**', async (route) => {
    const file = new URL(route.request().url()).pathname.split('/').pop();
    if (file === 'config.json')
      return route.fulfill({
        status: 200,
        body: JSON.stringify({ hidden_size: 16, num_attention_heads: 2 }),
        headers: { 'access-control-allow-origin': '*' },
      });
    if (file === 'vocab.txt')
      return route.fulfill({
        status: 200,
        body: '[PAD]\n[UNK]\n[CLS]\n[SEP]\nhi\n',
        headers: { 'access-control-allow-origin': '*' },
      });
    if (file === 'model.safetensors') return; // hangs
    return route.fulfill({ status: 404, body: '', headers: { 'access-control-allow-origin': '*' } });
  });
  await page.goto('/');
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/slow');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await page.getByRole('button', { name: 'Cancel download' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'The download of tabtune-test/slow/model.safetensors was cancelled. Nothing was cached.',
  );
  await expect(page.getByRole('button', { name: 'Load from Hugging Face' })).toBeEnabled();
  const cachedUrls = await page.evaluate(async () => {
    const all = await Promise.all(
      (await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)),
    );
    return all.flat();
  });
  // config.json and vocab.txt arrived whole and may stay cached; the cancelled weights must not be.
  expect(cachedUrls.some((u) => u.endsWith('model.safetensors'))).toBe(false);
});
