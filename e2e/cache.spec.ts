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
