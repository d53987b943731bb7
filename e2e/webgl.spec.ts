import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS_NO_WEBGPU, CHROMIUM_PATH } from './chromium';
import { checksFor } from '../src/lab/checks';
import { csvFor, decision, finished, measured, setUpRun, wholeRun } from './backendRun';
import { openAdvanced } from './fixtures';

/*
 * In a browser without WebGPU (Firefox, Safari, many Linux installs): Chromium without its WebGPU flags, WebGL
 * rendered on SwiftShader GL. From a new user's default (nothing remembered).
 */
test.use({
  storageState: { cookies: [], origins: [] },
  launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS_NO_WEBGPU },
});

test('a whole short run on WebGL, chosen by hand', async ({ page, browser }, info) => {
  test.setTimeout(420_000);
  await wholeRun(page, browser, info, 'webgl');
});

test('the default run trains on the backend the probe chose, and WebGL is named with its renderer', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  const csv = csvFor(info, 100, 71);
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('webgl');
  await expect(page.getByTestId('backend-device')).toContainText(/swiftshader/i);
  await setUpRun(page, csv, 100);
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(decision(page)).toContainText(/(\w+)( \(\d+ threads?\))? is the fastest for this run’s job/, {
    timeout: 60_000,
  });
  await expect(measured(page, 'webgl')).toContainText('webgl not timed: a software GPU');
  await expect(measured(page, 'webgpu')).toContainText(
    'webgpu failed: WebGPU is not available in this browser (try a current Chrome, or enable WebGPU).',
  );
  const chosen = ((await decision(page).locator('p').first().textContent()) ?? '').split(' ')[0]!;
  await expect(page.getByTestId('backend-name')).toHaveText(chosen);
  await finished(page);
});

test('a WebGL context lost mid-run moves the run to the next backend, which goes on from the saved step', async ({
  page,
}, info) => {
  test.setTimeout(420_000);
  const csv = csvFor(info, 200, 81);
  await page.goto('/test.html');
  await page.getByLabel('Backend for training').selectOption('webgl');
  await setUpRun(page, csv, 200);
  await openAdvanced(page);
  await page.getByLabel('Evaluations per epoch').fill('4');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByLabel('Saved state')).toContainText(/at step \d+ of \d+/, { timeout: 240_000 });
  await page.evaluate(() =>
    (window as unknown as { tabtuneTest: { loseDevice: () => Promise<void> } }).tabtuneTest.loseDevice(),
  );
  await expect(page.getByTestId('backend-name')).not.toHaveText('webgl', { timeout: 60_000 });
  await finished(page);
  await page.getByText(/^Log \(/).click();
  await expect(page.getByLabel('Training log')).toContainText(
    /The GPU context \(WebGL\) was lost \(.+\)\. Training moves to wasm \(\d+ threads?\) and goes on from its state saved at step \d+\./,
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
});

// lab/checks.ts on WebGL (SwiftShader GL): TabTune has no kernel there, so the checks of its own composites (custom
// gradients, a tree of adds, a loop), values and gradients, against their references.
test("TabTune's own composites match their references on WebGL", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/checks.html?autorun=1&backends=webgl');
  const out = page.getByLabel('Check results');
  await expect(out).toHaveAttribute('data-done', 'true', { timeout: 240_000 });
  const results = JSON.parse((await out.textContent()) ?? '[]') as Array<Record<string, unknown>>;
  expect(results.map((r) => r['name'])).toEqual(checksFor('webgl'));
  for (const r of results)
    expect({ name: r['name'], backend: r['backend'], ok: r['ok'] }).toEqual({
      name: r['name'],
      backend: 'webgl',
      ok: true,
    });
});
