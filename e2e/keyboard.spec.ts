import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { csvFor } from './backendRun';

/**
 * Moves the focus with Tab (Shift+Tab when `back`) until the focused element's accessible name matches `name`, as
 * a keyboard user would; fails after `limit` presses.
 */
async function tabTo(page: Page, name: RegExp, limit = 400): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelled = (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
      return `${el.getAttribute('aria-label') ?? ''} ${labelled} ${el.tagName === 'BUTTON' || el.tagName === 'SUMMARY' ? (el.textContent ?? '') : ''}`.trim();
    });
    if (name.test(focused)) return;
  }
  throw new Error(`no element named ${name} reached with Tab`);
}

/*
 * The whole way from a file to a download with the keyboard alone (Tab, Shift+Tab, arrows, Space, Enter and
 * typing): the file is given as the browser's file dialog would, then nothing is clicked. axe-core finds no
 * serious or critical violation on the way.
 */
test('keyboard only: from the dropped file to the downloaded weights, and accessible throughout', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  const csv = csvFor(info, 100, 95);
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).not.toHaveText('', { timeout: 60_000 });
  await page.getByLabel('Choose a CSV file').setInputFiles(csv); // what the file dialog does
  await expect(page.getByLabel('Dataset summary')).toContainText('100 rows');
  await page.locator('body').focus();

  await tabTo(page, /^Backend for training/);
  // Down the options to WebAssembly (no probe: the run starts at once).
  for (let i = 0; i < 5 && (await page.getByLabel('Backend for training').inputValue()) !== 'wasm'; i++)
    await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Backend for training')).toHaveValue('wasm');
  await tabTo(page, /from scratch \(offline/);
  await page.keyboard.press('Space');
  await expect(page.getByText('from scratch (offline').locator('input')).toBeChecked();
  for (const [field, value] of [
    [/^Epochs/, '1'],
    [/^Batch size/, '8'],
    [/^Max length \(tokens\)/, '24'],
  ] as const) {
    await tabTo(page, field);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(value);
  }
  await expect(page.getByLabel('Epochs')).toHaveValue('1');
  await tabTo(page, /^Start training/);
  await expectAccessible(page, 'ready to start, by keyboard');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed|Early stopping/, {
    timeout: 180_000,
  });
  await expectAccessible(page, 'the run done, by keyboard');

  await tabTo(page, /^Why this score\?/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('figure', { name: 'Why this score' })).toBeVisible({ timeout: 60_000 });
  await tabTo(page, /^Download weights/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toBe('tabtune-model.zip');
  await expectAccessible(page, 'downloaded, by keyboard');
  // A step folded after the run opens from the keyboard, for the next run's settings.
  await tabTo(page, /^Edit the settings/);
  await page.keyboard.press('Enter');
  await tabTo(page, /^Epochs/);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('2');
  await expect(page.getByLabel('Epochs')).toHaveValue('2');
  await expectAccessible(page, 'a step opened again, by keyboard');
});
