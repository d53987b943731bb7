// npm run train-speed — the studio's own training speed, as a person sees it: the built studio in headless Chromium
// (WebGPU on SwiftShader, as in the e2e tests), a CSV chosen in the page (the first `--rows` of `--csv`, columns
// guessed as the studio guesses them; without --csv, 1,000 sample reviews), "from scratch", the default settings, one
// epoch; for each backend setting in `--settings` (a fresh browser context each: nothing remembered), Start, then the
// examples/s the progress line shows once past step 15, and the WASM thread count the run took. "auto" waits `--idle`
// seconds on the page first, so that the idle measurement (backends, estimates, WASM's thread counts) decides.
//   npm run train-speed -- [--csv FILE] [--rows 2000] [--settings auto,wasm,auto,wasm] [--idle 45]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { sampleCsv } from '../src/core/data/sample';
import { CHROMIUM_ARGS } from '../e2e/chromium';
import { studioBrowser } from './studioBrowser';

const { values: v } = parseArgs({
  options: {
    csv: { type: 'string' },
    rows: { type: 'string', default: '2000' },
    settings: { type: 'string', default: 'auto,wasm,auto,wasm' },
    idle: { type: 'string', default: '45' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'tabtune-train-speed-'));
const csv = join(dir, 'reviews.csv');
if (v.csv) {
  // The first rows with a text, as a person's export of them would be.
  const parsed = Papa.parse<Record<string, string>>(readFileSync(v.csv, 'utf8'), { header: true });
  const rows = parsed.data.filter((r) => Object.values(r).some((x) => x && x.length > 20));
  writeFileSync(csv, Papa.unparse(rows.slice(0, Number(v.rows))));
} else writeFileSync(csv, sampleCsv(1000, 5));

const studio = await studioBrowser(4178, CHROMIUM_ARGS);
const results = [];
for (const setting of v.settings.split(',')) {
  const context = await studio.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${studio.base}/`);
  await page.getByLabel('Backend for training').selectOption(setting);
  await page.getByLabel('Choose a CSV file').setInputFiles(csv);
  await page.getByLabel('Dataset summary').filter({ hasText: 'reviews.csv' }).waitFor({ timeout: 120_000 });
  await page.getByText('from scratch (offline').click();
  await page.getByLabel('Epochs').fill('1');
  if (setting === 'auto') await page.waitForTimeout(Number(v.idle) * 1000);
  const ready = await page.getByRole('region', { name: 'Ready to train' }).textContent();
  await page.getByRole('button', { name: 'Start training' }).click();
  const status = page.getByLabel('Training status');
  await status.filter({ hasText: /Step (1[5-9]|[2-9]\d) / }).waitFor({ timeout: 600_000 });
  results.push({
    setting,
    columns: /text “[^”]*”[^;]*/.exec(ready ?? '')?.[0] ?? null,
    backend: await page.getByTestId('backend-name').textContent(),
    threads:
      (
        await page
          .getByTestId('backend-threads')
          .textContent()
          .catch(() => null)
      )?.trim() ?? null,
    examplesPerSecond: Number(/([\d.]+) examples\/s/.exec((await status.textContent()) ?? '')?.[1]),
  });
  await context.close();
}
await studio.close();
const command = `npm run train-speed -- ${process.argv.slice(2).join(' ')}`.trim();
process.stdout.write(`${JSON.stringify({ command, results }, null, 2)}\n`);
