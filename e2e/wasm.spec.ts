import { expect, test } from '@playwright/test';
import { csvFor, finished, setUpRun } from './backendRun';

// The WASM backend runs TF.js's threaded build in the built app: the page is cross-origin isolated, the
// CSP lets its pthread Workers load their blob: scripts, and vite.config.ts's threadedWasmFix keeps the
// minifier from breaking the factory those Workers run ("e is not defined" without it).
test('WASM trains on the threaded build, and says how many threads it uses', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/bench.html?autorun=1&shapes=tiny&backends=wasm&steps=1&batch=4&seq=16');
  const out = page.getByLabel('Benchmark results');
  await expect(out).toHaveAttribute('data-done', 'true', { timeout: 120_000 });
  const [result] = JSON.parse((await out.textContent()) ?? '[]') as Array<Record<string, unknown>>;
  expect(result?.['error']).toBeUndefined();
  expect(result?.['trainExamplesPerSecond']).toBeGreaterThan(0);
  // TF.js takes min(8, logical cores / 2) threads, at least one.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  expect(result?.['threads']).toBe(Math.max(1, Math.min(8, Math.floor(cores / 2))));
  expect(result?.['wasmBuild']).toBe('threaded-simd');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(errors).toEqual([]);
});

test('a run’s Worker starts WASM again for another thread count, and the model that scores keeps its scores', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  await page.goto('/test.html');
  await page.getByLabel('Backend for training').selectOption('wasm');
  await expect(page.getByTestId('backend-threads')).toHaveText(' (1 thread)'); // TF.js's default: half of 2 cores
  await setUpRun(page, csvFor(info, 100, 41), 100);
  await page.getByRole('button', { name: 'Start training' }).click();
  await finished(page);
  const tryIt = page.getByLabel('Try it: type a review (scored as you type)');
  await tryIt.fill('Soft fabric, fits perfectly, I love this dress.');
  await page.waitForTimeout(1500); // the debounced scoring of the final text lands
  const scored = await page.getByLabel('Predicted score').locator('strong').textContent();
  // What a measured thread count asks of the run's Worker (its `init`): the trained model moves off WASM, WASM starts
  // again with 2 threads, and the model scores there as before.
  await page.evaluate(() =>
    (
      window as unknown as { tabtuneTest: { useBackends: (b: string[], t: number) => Promise<void> } }
    ).tabtuneTest.useBackends(['wasm'], 2),
  );
  await expect(page.getByTestId('backend-threads')).toHaveText(' (2 threads)');
  await tryIt.fill('Soft fabric, fits perfectly, I love this dress!');
  await tryIt.fill('Soft fabric, fits perfectly, I love this dress.');
  await page.waitForTimeout(1500);
  await expect(page.getByLabel('Predicted score').locator('strong')).toHaveText(scored!);
});
