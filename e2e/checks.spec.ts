import { expect, test } from '@playwright/test';
import { CHECK_NAMES } from '../src/lab/checks';

// lab/checks.ts on WebGPU (SwiftShader here): each of TabTune's ops and kernels — the WGSL ones included —
// against TF.js's composite, values and gradients. Vitest runs the same checks on cpu and wasm.
test('every op and kernel matches its composite on WebGPU', async ({ page }) => {
  await page.goto('/checks.html?autorun=1&backends=webgpu');
  const out = page.getByLabel('Check results');
  await expect(out).toHaveAttribute('data-done', 'true', { timeout: 150_000 });
  const results = JSON.parse((await out.textContent()) ?? '[]') as Array<Record<string, unknown>>;
  // Every check ran, by name: among them the same seed run twice ending with identical weights, to the bit.
  expect(results.map((r) => r['name'])).toEqual(CHECK_NAMES);
  expect(
    results.find((r) => r['name'] === 'same seed twice: four training steps end with identical weights'),
  ).toMatchObject({ maxDiff: 0, tolerance: 0 });
  for (const r of results) {
    expect({ name: r['name'], backend: r['backend'], ok: r['ok'], error: r['error'] }).toEqual({
      name: r['name'],
      backend: 'webgpu',
      ok: true,
      error: undefined,
    });
  }
});

// WASM computing with 2 threads (as a thread count measured faster trains, docs/backends.md): the same checks hold.
test('every op and kernel matches its composite on WASM with 2 threads', async ({ page }) => {
  await page.goto('/checks.html?autorun=1&backends=wasm&threads=2');
  const out = page.getByLabel('Check results');
  await expect(out).toHaveAttribute('data-done', 'true', { timeout: 150_000 });
  await expect(out).toHaveAttribute('data-wasm-threads', '2');
  const results = JSON.parse((await out.textContent()) ?? '[]') as Array<Record<string, unknown>>;
  expect(results.map((r) => r['name'])).toEqual(CHECK_NAMES);
  for (const r of results)
    expect({ name: r['name'], backend: r['backend'], ok: r['ok'], error: r['error'] }).toEqual({
      name: r['name'],
      backend: 'wasm',
      ok: true,
      error: undefined,
    });
});
