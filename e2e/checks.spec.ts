import { expect, test, type Page } from '@playwright/test';
import { declaredKernels } from '../src/lab/checkPlaces';
import { checksFor } from '../src/lab/checks';

// lab/checks.ts on WebGPU (SwiftShader here) and on WASM with 2 threads: each check where its code is TabTune's —
// the WGSL kernels included — against its reference, values and gradients, taking exactly the kernels it declares.
// Vitest runs the same checks on the CPU and WASM with TF.js's thread count.

type Result = Record<string, unknown>;

async function results(page: Page, query: string): Promise<Result[]> {
  await page.goto(`/checks.html?autorun=1&${query}`);
  const out = page.getByLabel('Check results');
  await expect(out).toHaveAttribute('data-done', 'true', { timeout: 150_000 });
  return JSON.parse((await out.textContent()) ?? '[]') as Result[];
}

const passed = (backend: string) => (r: Result) =>
  expect({
    name: r['name'],
    backend: r['backend'],
    ok: r['ok'],
    error: r['error'],
    taken: r['taken'],
  }).toEqual({
    name: r['name'],
    backend,
    ok: true,
    error: undefined,
    taken: declaredKernels(r['name'] as string, backend),
  });

test('every check of TabTune’s code on WebGPU matches its reference, through the kernels it declares', async ({
  page,
}) => {
  const all = await results(page, 'backends=webgpu');
  // Every check ran, by name: among them the same seed run twice ending with identical weights, to the bit.
  expect(all.map((r) => r['name'])).toEqual(checksFor('webgpu'));
  expect(
    all.find((r) => r['name'] === 'same seed twice: four training steps end with identical weights'),
  ).toMatchObject({ maxDiff: 0, tolerance: 0 });
  all.forEach(passed('webgpu'));
});

test('each WebGPU kernel of ours, written wrong, turns its first check red', async ({ page }) => {
  const all = await results(page, 'backends=webgpu&mutations=1');
  expect(all.map((r) => r['kernel'])).toEqual([
    'TabTuneAttentionSoftmax',
    'TabTuneAttentionSoftmaxGrad',
    'TabTuneColumnSums',
    'TabTuneDropoutMask',
    'TabTuneGelu',
    'TabTuneGeluGrad',
    'TabTuneLayerNorm',
    'TabTuneLayerNormDGamma',
    'TabTuneLayerNormDx',
    'TabTuneLayerNormStats',
    'TabTuneScatterRowsInOrder',
    'TabTuneSumOfSquaresMany',
  ]);
  for (const r of all)
    expect({ mutation: r['mutation'], ok: r['ok'], error: r['error'] }).toEqual({
      mutation: r['mutation'],
      ok: false,
      error: undefined,
    });
});

// WASM computing with 2 threads (as a thread count measured faster trains, docs/backends.md): the same checks hold.
test('every check of TabTune’s code on WASM with 2 threads matches its reference', async ({ page }) => {
  const all = await results(page, 'backends=wasm&threads=2');
  await expect(page.getByLabel('Check results')).toHaveAttribute('data-wasm-threads', '2');
  expect(all.map((r) => r['name'])).toEqual(checksFor('wasm'));
  all.forEach(passed('wasm'));
});
