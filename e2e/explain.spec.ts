import { expect, test } from '@playwright/test';
import { shortRun } from './backendRun';

/*
 * Why this score: after a run, "Try it" and the worst-errors table show which words raised or lowered a score —
 * each word tinted, the numbers in a table, and the score beside the baseline's.
 */
test('"Why this score?" tints the words of Try it and of a worst error, with the numbers', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await shortRun(page, info, 'wasm', 100, 91);

  await page.getByLabel('Try it: type a review (scored as you type)').fill('Soft fabric, but it runs small.');
  await page.getByRole('button', { name: 'Why this score?' }).click();
  const why = page.getByRole('figure', { name: 'Why this score' });
  await expect(why).toContainText(
    /predicted rating \d\.\d{3} = \d\.\d{3} with every word replaced by \[PAD\]/,
  );
  for (const word of ['soft', 'fabric', 'runs', 'small'])
    await expect(why.locator('.attributed-text .word', { hasText: new RegExp(`^${word}$`) })).toHaveCount(1);
  await why.getByText('The words that moved it most, as numbers').click();
  await expect(why.getByRole('table')).toContainText(/[+−±]0\.\d{3}/);
  await page.screenshot({
    path: info.outputPath('why-try-it.png'),
    fullPage: false,
    clip: (await why.boundingBox())!,
  });

  // A worst error: its own words, with its second text after the bar.
  const worst = page.getByRole('table', { name: 'Worst errors' });
  const first = worst.getByRole('button', { name: /^Why line \d+ got/ }).first();
  const line = /Why line (\d+)/.exec((await first.getAttribute('aria-label')) ?? '')![1];
  await first.click();
  const row = page.getByRole('figure', { name: `Why line ${line} got its score` });
  await expect(row).toContainText('predicted rating');
  await expect(row.locator('.pair-break')).toHaveCount(1); // the run reads the customer column as a second text
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('why-worst-error.png'), clip: (await row.boundingBox())! });
});
