import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { csvFor, finished } from './backendRun';

/*
 * The studio at a glance: after a whole run of 2,000 reviews the page is read in a few screens — the steps in a
 * column beside the run, the results' verdict and the download first — and the backend notice is one short line.
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

test('at 1400 × 900 after a whole run of 2,000 reviews: at most 4 screens, the verdict and download in the first 2, a notice of at most 25 words', async ({
  page,
}, info) => {
  test.setTimeout(600_000);
  const [width, height] = [1400, 900];
  await page.setViewportSize({ width, height });
  const csv = csvFor(info, 2000, 91);
  await page.goto('/');
  await page.getByLabel('Backend for training').selectOption('wasm'); // no probe: the run starts at once
  // A new user's run: the file, from scratch, a short recipe; the advanced settings left folded.
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText('2,000 rows');
  await page.getByText('from scratch (offline').click();
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Batch size').fill('32');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  expect(await noticeWords(page)).toBeLessThanOrEqual(25);
  await page.getByRole('button', { name: 'Start training' }).click();
  await finished(page);
  await page.evaluate(() => window.scrollTo(0, 0));

  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  const verdict = await pageTop(page, 'the verdict', page.getByTestId('classical-verdict').boundingBox());
  const download = await pageTop(
    page,
    'the download',
    page.getByRole('button', { name: 'Download weights' }).boundingBox(),
  );
  const words = await noticeWords(page);
  const measuredLayout = `page ${pageHeight} px (${(pageHeight / height).toFixed(1)} screens), verdict at ${verdict} px, download at ${download} px, notice ${words} words`;
  info.annotations.push({ type: 'layout at 1400 × 900 after the run', description: measuredLayout });
  console.log(measuredLayout);
  await page.screenshot({ path: info.outputPath('after-run-1400x900.png'), fullPage: true });
  expect({
    screens: pageHeight / height <= 4,
    verdict: verdict < 2 * height,
    download: download < 2 * height,
  }).toEqual({ screens: true, verdict: true, download: true });
  expect(words).toBeLessThanOrEqual(25);
  await expectAccessible(page, 'after the run, 1400 × 900');
  await page.setViewportSize({ width: 1280, height: 720 });
  await expectAccessible(page, 'after the run, 1280 × 720');
});
