import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible, withWideFonts } from './a11y';
import { csvFor, finished } from './backendRun';
import { serveHubModel } from './fixtures';

/*
 * The studio at a glance: after a whole run of 2,000 reviews the page is read in a few screens — the steps folded to
 * a line each in a column beside the run, the results' verdict and the download first — and the backend notice is
 * one short line. Accessible at every step, at 1400 × 900 and 1280 × 720; on a narrow window one column.
 */

/** The words a person sees in the backend notice until they open its details. */
async function noticeWords(page: Page): Promise<number> {
  const badge = page.getByRole('region', { name: 'Compute backend' });
  const shown = [
    await badge.getByTestId('backend-line').innerText(),
    await badge.locator('summary').innerText(),
    'Backend for training',
    await badge.locator('select option:checked').innerText(),
  ].join(' ');
  return shown.split(/\s+/).filter((w) => /\w/.test(w)).length;
}

/** Where an element's top is on the page (not the window), in pixels. */
const pageTop = async (page: Page, name: string, box: Promise<{ y: number } | null>) => {
  const b = await box;
  if (!b) throw new Error(`${name} is not on the page`);
  return Math.round(b.y + (await page.evaluate(() => window.scrollY)));
};

/** The page's height, and where the verdict and the download button are on it. */
async function layout(page: Page) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return {
    page: await page.evaluate(() => document.documentElement.scrollHeight),
    verdict: await pageTop(page, 'the verdict', page.getByTestId('classical-verdict').boundingBox()),
    download: await pageTop(
      page,
      'the download',
      page.getByRole('button', { name: 'Download weights' }).boundingBox(),
    ),
  };
}

const WINDOWS = [
  [1400, 900],
  [1280, 720],
] as const;

/** axe-core at both windows the studio is made for (each also with large fonts), then back to 1400 × 900. */
async function accessibleAtBoth(page: Page, step: string) {
  for (const [width, height] of WINDOWS) {
    await page.setViewportSize({ width, height });
    await expectAccessible(page, `${step}, ${width} × ${height}`);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

test('at 1400 × 900 after a whole run of 2,000 reviews: at most 4 screens, the verdict and download in the first 2, a notice of at most 25 words', async ({
  page,
}, info) => {
  test.setTimeout(600_000);
  const height = 900;
  await page.setViewportSize({ width: 1400, height });
  await serveHubModel(page, 'tabtune-test/tiny-bert', 'st-gelu');
  const csv = csvFor(info, 2000, 91);
  await page.goto('/');
  await page.getByLabel('Backend for training').selectOption('wasm'); // no probe: the run starts at once
  await accessibleAtBoth(page, 'opened');
  // A new user's run: the file, a model looked at, then from scratch and a short recipe; Advanced left folded.
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText('2,000 rows');
  await accessibleAtBoth(page, 'the data, dropped');
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(page.getByRole('definition').filter({ hasText: 'tabtune-test/tiny-bert' })).toBeVisible();
  await accessibleAtBoth(page, 'the model, loaded');
  await page.getByText('from scratch (offline').click();
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Batch size').fill('32');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  expect(await noticeWords(page)).toBeLessThanOrEqual(25);
  await accessibleAtBoth(page, 'ready to start');
  await page.getByRole('button', { name: 'Start training' }).click();

  // While it trains (held paused while it is checked), each step is a line of what the run uses.
  await expect(page.getByLabel('Training status')).toContainText(/Step \d+ of/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByLabel('Training status')).toContainText('paused');
  await expect(page.getByTestId('data-summary')).toHaveText(
    'reviews.csv, 2,000 usable rows: text “review” with “customer”, rating “rating”',
  );
  await expect(page.getByTestId('model-summary')).toHaveText(
    /tabtune-test\/tiny-bert.* \(\d+ layers, hidden \d+\), [\d.]+[kM]? parameters/,
  );
  await expect(page.getByTestId('settings-summary')).toHaveText(
    'from scratch; 1 epoch(s), learning rate 0.001, batch 32, up to 24 tokens',
  );
  await accessibleAtBoth(page, 'training (paused)');
  await page.getByRole('button', { name: 'Resume' }).click();
  await finished(page);

  const after = await layout(page);
  const words = await noticeWords(page);
  const wide = await withWideFonts(page, () => layout(page));
  const screens = (px: number) => (px / height).toFixed(1);
  const measuredLayout = `page ${after.page} px (${screens(after.page)} screens), verdict at ${after.verdict} px, download at ${after.download} px, notice ${words} words; in wide fonts page ${wide.page} px (${screens(wide.page)} screens), verdict at ${wide.verdict} px, download at ${wide.download} px`;
  info.annotations.push({ type: 'layout at 1400 × 900 after the run', description: measuredLayout });
  console.log(measuredLayout);
  await page.screenshot({ path: info.outputPath('after-run-1400x900.png'), fullPage: true });
  // Within the bounds, and still within them in fonts wider than any machine's default.
  for (const [fonts, l] of [
    ['default', after],
    ['wide', wide],
  ] as const)
    expect({
      fonts,
      screens: l.page <= 4 * height,
      verdict: l.verdict < 2 * height,
      download: l.download < 2 * height,
    }).toEqual({
      fonts,
      screens: true,
      verdict: true,
      download: true,
    });
  expect(words).toBeLessThanOrEqual(25);
  await accessibleAtBoth(page, 'after the run');
  // A folded step opens with "Edit" and folds again; accessible open too.
  await page.getByRole('button', { name: 'Edit the data' }).click();
  await expect(page.getByLabel('Text column', { exact: true })).toBeVisible();
  await accessibleAtBoth(page, 'after the run, the data step opened');
  await page.getByRole('button', { name: 'Collapse the data' }).click();
  await expect(page.getByTestId('data-summary')).toBeVisible();
});

test('on a narrow window the studio is one column: the steps folded, the results next, nothing wider than the window', async ({
  page,
}, info) => {
  test.setTimeout(300_000);
  const [width, height] = [760, 1000];
  await page.setViewportSize({ width, height });
  const csv = csvFor(info, 300, 92);
  await page.goto('/');
  await page.getByLabel('Backend for training').selectOption('wasm');
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText('300 rows');
  await page.getByText('from scratch (offline').click();
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  await expectAccessible(page, `ready to start, ${width} × ${height}`);
  await page.getByRole('button', { name: 'Start training' }).click();
  await finished(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: info.outputPath(`after-run-${width}x${height}.png`), fullPage: true });
  const top = (name: string, locator: Locator) => pageTop(page, name, locator.boundingBox());
  const order = {
    steps: await top('the settings line', page.getByTestId('settings-summary')),
    verdict: await top('the verdict', page.getByTestId('classical-verdict')),
    training: await top('the run', page.getByRole('heading', { name: 'Training', exact: true })),
    runs: await top('the runs', page.getByRole('heading', { name: 'Runs', exact: true })),
  };
  console.log(`one column at ${width} × ${height}: ${JSON.stringify(order)}`);
  expect(order.steps).toBeLessThan(order.verdict);
  expect(order.verdict).toBeLessThan(order.training);
  expect(order.training).toBeLessThan(order.runs);
  // The verdict within the first two screens, and no part of the page wider than the window.
  expect(order.verdict).toBeLessThan(2 * height);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  await expectAccessible(page, `after the run, ${width} × ${height}`);
});
