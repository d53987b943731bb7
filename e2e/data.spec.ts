import { mkdirSync, writeFileSync } from 'node:fs';
import { sampleCsv } from '../src/core/data/sample';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';

// The studio reads a dropped file's bytes in the Worker with the core's code (the CLI's): encodings are read
// and named, other kinds of file are named instead of showing garbled columns, and a user's problem is not
// labelled a bug.
test('a Windows-1252 file is read and the studio says how; a gzip file is named as one', async ({
  page,
}, info) => {
  await page.goto('/');
  await expect(page.getByLabel('Dataset summary')).toContainText('sample-reviews.csv');
  mkdirSync(info.outputDir, { recursive: true });
  const latin1 = info.outputPath('latin1.csv');
  const rows = Array.from({ length: 20 }, (_, i) => `Tr\xe8s belle robe ${i},${1 + (i % 5)}`);
  writeFileSync(
    latin1,
    Buffer.from(`review,rating\n${rows.join('\n')}\n"never closed,4\nstill read,5\n`, 'latin1'),
  );
  await page.getByLabel('Choose a CSV file').setInputFiles(latin1);
  await expect(page.getByLabel('Dataset summary')).toContainText(
    'latin1.csv: 21 rows, 2 columns, 1 malformed row(s)',
  );
  await expect(page.getByLabel('How the file was read')).toContainText(
    'latin1.csv is not valid UTF-8 (first at line 2); it was read as Windows-1252 (Latin-1)',
  );
  await expect(page.getByLabel('Data preview')).toContainText('Très belle robe 0');

  const gz = info.outputPath('reviews.csv');
  writeFileSync(gz, gzipSync(Buffer.from('review,rating\nok,5\n')));
  await page.getByLabel('Choose a CSV file').setInputFiles(gz);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('reviews.csv is a gzip-compressed file; unpack it');
  await expect(alert).toHaveAttribute('data-kind', 'data');
  await expect(alert).not.toContainText('Something went wrong inside TabTune');
});

// A large file is read from disk in chunks in the Worker: the page shows how far it is and answers input meanwhile,
// and for a file that large it suggests training on a sample; the profile then describes the sample's rows.
test('a large file parses with visible progress while the page answers input; a random sample is offered', async ({
  page,
}, info) => {
  await page.goto('/');
  await expect(page.getByLabel('Dataset summary')).toContainText('sample-reviews.csv');
  mkdirSync(info.outputDir, { recursive: true });
  const big = info.outputPath('big.csv');
  const rows = 600_000;
  const lines = Array.from(
    { length: rows },
    (_, i) =>
      `"Review ${i}: the fabric is ${i % 3 ? 'soft and it fits true to size' : 'scratchy, and it runs small'}, ordered a medium, wore it twice",${1 + (i % 5)}`,
  );
  writeFileSync(big, `review,rating\n${lines.join('\n')}\n`);
  const chosenAt = Date.now();
  await page.getByLabel('Choose a CSV file').setInputFiles(big);
  const reading = page.getByRole('status').filter({ hasText: 'Reading big.csv' });
  await expect(reading).toBeVisible();
  await expect(reading.locator('progress')).toHaveAttribute('max', /\d{8}/);
  // The page answers while the Worker reads: a click opens a section at once, and the read is still going.
  const details = page.locator('details', { hasText: 'Check the model' });
  const t0 = Date.now();
  await details.locator('summary').click();
  await expect(details).toHaveAttribute('open', '');
  expect(Date.now() - t0).toBeLessThan(1000);
  await expect(reading).toBeVisible();
  await expect(page.getByLabel('Dataset summary')).toContainText('big.csv: 600,000 rows', {
    timeout: 60_000,
  });
  const readMs = Date.now() - chosenAt;
  await expect(reading).toHaveCount(0);
  await expect(page.getByText('This file has 600,000 rows.')).toBeVisible();
  await page.getByLabel('Rows to use').selectOption('random');
  await page.getByLabel('Number of rows').fill('2000');
  await expect(page.getByLabel('Usable rows')).toContainText('2000 usable rows', { timeout: 60_000 });

  // A file chosen while another is read replaces it: that read stops (the new file does not wait for it), quietly,
  // and the new file is the one kept.
  const small = info.outputPath('small.csv');
  writeFileSync(small, sampleCsv(40, 9));
  await page.getByLabel('Choose a CSV file').setInputFiles(big);
  await expect(reading).toBeVisible();
  expect(await page.getByLabel('Choose a CSV file').isEnabled()).toBe(true); // at once: still reading
  await page.getByLabel('Choose a CSV file').setInputFiles(small);
  await expect(page.getByLabel('Dataset summary')).toContainText('small.csv: 40 rows', {
    timeout: readMs / 3,
  });
  await expect(page.getByRole('status').filter({ hasText: 'Reading' })).toHaveCount(0);
  await page.waitForTimeout(readMs); // had the big read gone on, its answer would arrive by now
  await expect(page.getByLabel('Dataset summary')).toContainText('small.csv: 40 rows');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // "Stop reading" stops the read (its call aborted), says so, and the file read before stays.
  await page.getByLabel('Choose a CSV file').setInputFiles(big);
  await page.getByRole('button', { name: 'Stop reading' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Reading big.csv was stopped; choose it again to read it.',
  );
  await expect(reading).toHaveCount(0);
  await expect(page.getByLabel('Dataset summary')).toContainText('small.csv: 40 rows');
});
