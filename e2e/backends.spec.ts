import { expect, test } from '@playwright/test';
import { csvFor, decision, finished, measured, setUpRun, wholeRun } from './backendRun';

/*
 * The backend a run trains on: measured for the job by default, any one by hand, and every one of them able to do
 * a whole short run — data, training with evaluations, results, export, and the export loaded back and scoring.
 * These tests start from a new user's default (nothing remembered), unlike the rest of the suite.
 */
test.use({ storageState: { cookies: [], origins: [] } });

test('a new user looks over the page: it times every backend meanwhile (WebGPU, a software GPU, not timed), and Start trains on the fastest, WASM with its measured threads; WebGPU by hand trains on WebGPU', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  const csv = csvFor(info, 120, 51);
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  // The device is named, and named as software: SwiftShader is a CPU emulating a GPU.
  await expect(page.getByTestId('backend-device')).toContainText(/swiftshader/i);
  await expect(page.getByTestId('backend-device')).toContainText('a software GPU');
  await expect(page.getByLabel('Backend for training')).toHaveValue('auto');
  await setUpRun(page, csv, 120);
  // Idle and ready, the page times the job: WASM, not WebGPU (a software GPU here, never faster than WASM on the
  // same cores), then WASM with every core (2 here, against TF.js's 1).
  await expect(page.getByTestId('backend-idle-probe')).toContainText('timing each backend on this job');
  await expect(measured(page, 'wasm')).toContainText(
    /wasm \(1 thread\) [\d.]+ examples\/s \(first step [\d.]+ (ms|s), \d+ MB held\)/,
  );
  await expect(measured(page, 'webgpu')).toContainText(
    'webgpu not timed: a software GPU (this CPU emulating one), far slower than WebAssembly on the same cores; choose it by hand to try it',
  );
  await expect(measured(page, 'wasm', 2)).toContainText(/wasm \(2 threads\) [\d.]+ examples\/s \(first step/);
  await expect(page.getByTestId('backend-idle-probe')).toHaveCount(0);
  await expect(decision(page)).toContainText(
    /^wasm \(\d threads?\) is the fastest for this job on this device; Start trains there:/,
  );
  await page.screenshot({ path: info.outputPath('measured-while-idle.png'), fullPage: true });

  // Start: nothing more to measure; every figure said; WASM trains with the thread count measured fastest (the run's
  // Worker starts WASM again for it where it ran with another).
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(decision(page)).toContainText('measured before on this device');
  await expect(measured(page, 'webgpu')).toContainText('webgpu not timed');
  await expect(page.getByLabel('Training status')).toContainText(/Step \d+ of/, { timeout: 60_000 });
  info.annotations.push({
    type: 'start after the idle measurement (ms)',
    description: String(Date.now() - t0),
  });
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  const threads = /^wasm \((\d+ threads?)\) is the fastest/.exec(
    (await decision(page).locator('p').first().textContent()) ?? '',
  )?.[1];
  expect(threads).toBeTruthy();
  await expect(page.getByTestId('backend-threads')).toHaveText(` (${threads})`);
  await finished(page);
  await page.getByText(/^Log \(/).click();
  await expect(page.getByLabel('Training log')).toContainText(
    /Backend: wasm \(\d threads?\), the fastest for this job \(measured before on this device for this job: .*wasm \(1 thread\) [\d.]+ examples\/s.*webgpu not timed: a software GPU.*wasm \(2 threads\) [\d.]+ examples\/s/,
  );
  info.annotations.push({ type: 'chosen threads', description: threads! });

  // Chosen by hand, remembered, and said: WebGPU trains.
  await page.getByLabel('Backend for training').selectOption('webgpu');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(decision(page)).toHaveText('Chosen by hand: webgpu (no measurement).');
  await finished(page);
  await expect(page.getByLabel('Training log')).toContainText(
    'Backend: webgpu, chosen by hand (no measurement).',
  );
  await page.reload();
  await expect(page.getByLabel('Backend for training')).toHaveValue('webgpu');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
});

test('Start pressed at once measures at Start (a software GPU not timed then), and a second run of the job reuses the figures', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await setUpRun(page, csvFor(info, 120, 53), 120);
  await page.getByRole('button', { name: 'Start training' }).click();
  // WebGPU on SwiftShader is a software GPU: once WASM is measured it is not timed at Start (a step of it would keep
  // both cores busy long after it was stopped); the badge says why, and WASM trains.
  await expect(decision(page)).toContainText(
    'wasm (1 thread) is the fastest for this run’s job (measured in',
    {
      timeout: 60_000,
    },
  );
  await expect(measured(page, 'webgpu')).toContainText(
    'webgpu not timed: a software GPU (this CPU emulating one), far slower than WebAssembly on the same cores; choose it by hand to try it',
  );
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await finished(page);
  await page.getByText(/^Log \(/).click();
  await expect(page.getByLabel('Training log')).toContainText(
    /Backend: wasm \(1 thread\), the fastest for this job \(measured in [\d.]+ m?s: .*wasm \(1 thread\) [\d.]+ examples\/s/,
  );
  // Again at once: the figures kept, and the run starts without measuring.
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(decision(page)).toContainText('measured before on this device');
  await expect(page.getByLabel('Training status')).toContainText(/Step \d+ of/, { timeout: 60_000 });
  info.annotations.push({ type: 'cached start (ms)', description: String(Date.now() - t0) });
  await finished(page);
});

for (const backend of ['wasm', 'cpu']) {
  test(`a whole short run on ${backend}, chosen by hand: evaluations, results, export, reloaded and scoring alike`, async ({
    page,
    browser,
  }, info) => {
    test.setTimeout(300_000);
    await wholeRun(page, browser, info, backend);
  });
}
