// npm run probe-cost — what the backend probe adds before a run's first step, as a new user meets it: the built
// studio in headless Chromium (WebGPU on SwiftShader, as in the e2e tests; --no-webgpu: without WebGPU), a CSV of
// 1,000 sample reviews, "from scratch", the default settings (batch 32, max length 128), Start pressed twice (the second run of the
// same job uses the cached figures). Prints JSON: per run, ms from the click to the decision and to the first step,
// and the figures. No timing is asserted. --idle S waits S seconds before the first Start, as a person reading the
// page would (the page times the job while idle; Start then finds it measured).
//   npm run probe-cost -- [--runs 2] [--no-webgpu] [--idle 0]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sampleCsv } from '../src/core/data/sample';
import { CHROMIUM_ARGS, CHROMIUM_ARGS_NO_WEBGPU } from '../e2e/chromium';
import { studioBrowser } from './studioBrowser';

const { values: v } = parseArgs({
  options: {
    runs: { type: 'string', default: '2' },
    'no-webgpu': { type: 'boolean', default: false },
    idle: { type: 'string', default: '0' },
  },
});
const studio = await studioBrowser(4176, v['no-webgpu'] ? CHROMIUM_ARGS_NO_WEBGPU : CHROMIUM_ARGS);
const page = await studio.browser.newPage();
await page.goto(`${studio.base}/`);
// 1,000 sample reviews, chosen as a person would choose their file (the e2e tests do the same).
const csv = join(mkdtempSync(join(tmpdir(), 'tabtune-probe-cost-')), 'reviews.csv');
writeFileSync(csv, sampleCsv(1000, 5));
await page.getByLabel('Choose a CSV file').setInputFiles(csv);
await page
  .getByLabel('Dataset summary')
  .filter({ hasText: 'reviews.csv: 1,000 rows' })
  .waitFor({ timeout: 120_000 });
await page.getByText('from scratch (offline').click();
await page.getByLabel('Epochs').fill('1');
await page.waitForTimeout(Number(v.idle) * 1000);
const runs = [];
for (let i = 0; i < Number(v.runs); i++) {
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Start training' }).click({ timeout: 120_000 });
  const clicked = Date.now() - t0;
  await page.getByTestId('backend-decision').waitFor({ timeout: 600_000 });
  const decided = Date.now() - t0;
  await page
    .getByLabel('Training status')
    .filter({ hasText: /Step [1-9]/ })
    .waitFor({ timeout: 600_000 });
  const firstStep = Date.now() - t0;
  const stored = await page.evaluate(() =>
    Object.entries(localStorage)
      .filter(([k]) => k.startsWith('tabtune-probe'))
      .map(([, value]) => JSON.parse(value) as unknown),
  );
  runs.push({
    clickMs: clicked,
    decisionMs: decided,
    firstStepMs: firstStep,
    decision: await page.getByTestId('backend-decision').textContent(),
    backend: await page.getByTestId('backend-name').textContent(),
    probe: stored[0] ?? null,
  });
  // Stop, or let it end (a 1,000-row epoch is short on WASM).
  await page
    .getByRole('button', { name: 'Stop' })
    .click({ timeout: 10_000 })
    .catch(() => undefined);
  await page.getByLabel('Run outcome').waitFor({ timeout: 600_000 });
}
await studio.close();
process.stdout.write(
  `${JSON.stringify({ command: `npm run probe-cost -- ${process.argv.slice(2).join(' ')}`.trim(), runs }, null, 2)}\n`,
);
