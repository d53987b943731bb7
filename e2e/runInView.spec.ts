import { expect, test } from '@playwright/test';
import { csvFor, setUpRun } from './backendRun';

/*
 * Pressing Start brings the run into view: the controls, the progress and the live charts, in the window a person
 * has, without the test scrolling for them (the click scrolls to the Start button, as a person would).
 */
for (const [width, height] of [
  [1400, 900],
  [1280, 720],
] as const)
  test(`at ${width} × ${height}, the controls, progress and live charts are in view once a run starts`, async ({
    page,
  }, info) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width, height });
    const csv = csvFor(info, 200, 81);
    await page.goto('/');
    await setUpRun(page, csv, 200);
    await page.getByLabel('Backend for training').selectOption('wasm'); // no probe: the run starts at once
    await page.getByLabel('Epochs').fill('3');
    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(page.getByLabel('Training status')).toContainText(/Step \d+ of/, { timeout: 120_000 });
    const inView = async (name: string, box: Promise<{ y: number; height: number } | null>) => {
      const b = (await box)!;
      expect({ name, top: b.y >= 0, bottom: b.y + b.height <= height }).toEqual({
        name,
        top: true,
        bottom: true,
      });
    };
    await inView('Pause', page.getByRole('button', { name: 'Pause' }).boundingBox());
    await inView('progress', page.getByLabel('Training progress').boundingBox());
    await inView('loss chart', page.getByLabel('Training loss chart').boundingBox());
    await inView('validation chart', page.getByLabel('Validation chart').boundingBox());
    await page.screenshot({ path: info.outputPath(`run-${width}x${height}.png`) });
    // The data step is a line while the run holds it; opened ("Show"), its charts are drawn.
    await expect(page.getByTestId('data-summary')).toContainText('reviews.csv, 200 usable rows');
    await page.getByRole('button', { name: 'Show the data' }).click();
    for (const chart of ['Rating histogram', 'Text length histogram'])
      await expect(page.getByLabel(chart).locator('.recharts-bar-rectangle').first()).toBeVisible();
    await page.screenshot({ path: info.outputPath(`page-${width}x${height}.png`), fullPage: true });
    // Stop aborts the run's call: it ends at its next step and answers with what it trained.
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByText('ended: stopped')).toBeAttached({ timeout: 60_000 });
  });

test('from the drop, a person reaches Start in one screen at 1400 × 900: the quick start', async ({
  page,
}, info) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  const csv = csvFor(info, 120, 83);
  await page.goto('/');
  await page.getByLabel('Backend for training').selectOption('wasm');
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText('120 rows');
  const quick = page.getByRole('region', { name: 'Ready to train' });
  await expect(quick).toContainText(
    /reviews\.csv, 120 usable rows: text “review” with “customer”, rating “rating”; from scratch; \d+ epoch/,
  );
  const box = (await quick.getByRole('button', { name: 'Quick start' }).boundingBox())!;
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  expect(box.y + box.height).toBeLessThanOrEqual(900);
  await page.screenshot({ path: info.outputPath('quick-start.png') });
  await quick.getByRole('button', { name: 'Quick start' }).click();
  await expect(page.getByLabel('Training status')).toContainText(/Step \d+ of/, { timeout: 120_000 });
  await expect(quick).toHaveCount(0); // gone while the run holds the data
  await page.getByRole('button', { name: 'Stop' }).click();
});
