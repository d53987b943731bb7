import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y';
import { csvFor, setUpRun } from './backendRun';
import { downloadWeights } from './fixtures';

test('Find settings: live trials, a reload mid-search goes on from its saved state, and the winner is the run and the export', async ({
  page,
}, info) => {
  test.setTimeout(420_000);
  const csv = csvFor(info, 120, 41);
  await page.goto('/');
  await page.getByLabel('Backend for training').selectOption('wasm');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  await setUpRun(page, csv, 120);
  await page.getByLabel('Epochs').fill('3');
  await page.getByLabel('Search trials').fill('9');
  // The space is editable: a part that is not numbers is refused by name, and nothing starts.
  await page.getByText('Search space (around the settings above)').click();
  await page.getByLabel('Batches to try').fill('8, big');
  await page.getByRole('button', { name: 'Find settings' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Search space: batch sizes must be numbers separated by commas (got "big").',
  );
  await page.getByLabel('Batches to try').fill('8');
  await page.getByRole('button', { name: 'Find settings' }).click();

  // Live: trials report into the table, the chart and the best so far.
  const trials = page.getByRole('region', { name: 'Search trials' });
  await expect.poll(() => trials.locator('tbody tr').count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByLabel('Best so far')).toContainText(/Best so far: trial \d \(lr /);
  await expect(page.getByLabel('Search chart')).toHaveAttribute('data-trials', /^[2-9]$/);
  for (const row of await trials.locator('tbody tr').all()) await expect(row).toContainText('batch 8,');
  await expectAccessible(page, 'a settings search under way');

  // A reload ends the Worker mid-search, as a crash would; the page offers to go on.
  await page.reload();
  const banner = page.getByRole('region', { name: 'Saved search' });
  await expect(banner).toContainText(/reviews\.csv, from scratch, [2-9] of 9 trials trained/);
  await page.getByLabel('Backend for training').selectOption('wasm');
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await expect(page.getByLabel('Dataset summary')).toContainText('120 rows');
  await page.getByText('from scratch (offline').click();
  await banner.getByRole('button', { name: 'Go on with the search' }).click();
  await expect(page.getByLabel('Run outcome')).toContainText(/Training completed/, { timeout: 240_000 });
  await page.getByText(/^Log \(\d+\)$/).click();
  await expect(page.getByRole('list', { name: 'Training log' })).toContainText(
    /Going on with the saved settings search: 9 trials, [2-9] have trained/,
  );

  // The winner is the run: Results say how it was found, the export's card names the search.
  const summary = page.getByRole('list', { name: 'Settings search' });
  await expect(summary).toContainText(/Settings search: 9 trials by successive halving/);
  await expect(summary).toContainText(/validation AUC is optimistic/);
  await expectAccessible(page, 'the search’s winner, finished');
  const { files } = await downloadWeights(page, info);
  const card = new TextDecoder().decode(files['tabtune-model/README.md']);
  expect(card).toMatch(/## Settings search\n\nThese settings were chosen by TabTune's settings search/);
  await expect(page.getByRole('region', { name: 'Saved search' })).toHaveCount(0);
});
