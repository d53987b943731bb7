import { expect, test } from '@playwright/test';

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
