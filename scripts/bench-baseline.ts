// npm run bench:baseline — how long the classical baseline takes on a real CSV: in Node for each task (the
// Worker runs the same code), in the studio's Worker in headless Chromium (each task, read
// from the run's log), and scikit-learn doing the same fits on the same split (scripts/reference/
// baseline_sklearn.py, Debian's python3-sklearn). Prints JSON; nothing here is asserted anywhere.
//   npm run bench:baseline -- --csv ../shared/fixtures/womens-clothing-reviews.csv [--text "Review Text"]
//                             [--pair Title] [--label Rating] [--no-browser] [--no-sklearn]
import * as tf from '@tensorflow/tfjs';
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { runClassical } from '../src/core/baseline/classical';
import { readCsvBytes } from '../src/core/data/csv';
import { exampleText } from '../src/core/data/dataset';
import { TASKS } from '../src/core/data/labels';
import { DEFAULT_TRAIN_CONFIG } from '../src/core/train/config';
import { prepareData } from '../src/core/train/prepare';
import { PYTHON } from './torchPeer';
import { registerKernels } from '../src/core/runtime/registerKernels';

const { values: v } = parseArgs({
  options: {
    csv: { type: 'string' },
    text: { type: 'string', default: 'Review Text' },
    pair: { type: 'string', default: 'Title' },
    label: { type: 'string', default: 'Rating' },
    'no-browser': { type: 'boolean', default: false },
    'no-sklearn': { type: 'boolean', default: false },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
if (!v.csv) {
  log('usage: npm run bench:baseline -- --csv FILE (see the top of scripts/bench-baseline.ts)');
  process.exit(2);
}
tf.env().set('PROD', true);
registerKernels(); // TabTune's own kernels, as chooseBackend registers them
await tf.setBackend('cpu');
const table = readCsvBytes(readFileSync(v.csv), v.csv);
const roles = { text: v.text!, pair: v.pair ?? null, label: v.label! };

const node: Record<string, unknown> = {};
let split = null as ReturnType<typeof prepareData> | null;
for (const task of TASKS) {
  const data = prepareData(table, roles, v.csv, { ...DEFAULT_TRAIN_CONFIG, task });
  split ??= data;
  const r = await runClassical(data.spec, data);
  node[task] = {
    trainRows: r.trainRows,
    features: r.features,
    seconds: r.seconds,
    validationAuc: r.validation.auc,
  };
  log(`node ${task}: ${JSON.stringify(node[task])}`);
}

let sklearn: unknown = null;
if (!v['no-sklearn']) {
  const rows = (examples: NonNullable<typeof split>['train']) =>
    examples.map((e) => [exampleText(e), e.rating]);
  sklearn = JSON.parse(
    execFileSync(PYTHON, ['scripts/reference/baseline_sklearn.py'], {
      input: JSON.stringify({
        train: rows(split!.train),
        validation: rows(split!.validation),
        threshold: split!.spec.threshold,
      }),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  );
  log(`scikit-learn: ${JSON.stringify(sklearn)}`);
}

const worker = v['no-browser'] ? null : await inTheStudio(v.csv);
if (worker) log(`chromium worker: ${JSON.stringify(worker)}`);
process.stdout.write(`${JSON.stringify({ file: v.csv, node, sklearn, chromiumWorker: worker }, null, 2)}\n`);

/** The studio's own runs on the file, from scratch, one per task: the log line the Worker writes once the baseline is fitted. */
async function inTheStudio(csv: string): Promise<Record<string, string>> {
  if (!existsSync('dist/index.html')) execSync('npx vite build', { stdio: 'inherit' });
  const server = await preview({
    preview: { port: 4175, strictPort: true, host: '127.0.0.1' },
    logLevel: 'silent',
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const lines: Record<string, string> = {};
  try {
    for (const task of TASKS) {
      const page = await browser.newPage();
      await page.goto('http://127.0.0.1:4175/');
      await page.getByLabel('Choose a CSV file').setInputFiles(csv);
      await page.getByLabel('Text column', { exact: true }).selectOption(roles.text);
      if (roles.pair) await page.getByLabel('Second text column (optional)').selectOption(roles.pair);
      await page.getByLabel('Rating column').selectOption(roles.label);
      await page.getByText('from scratch (offline').click();
      await page.getByLabel('Task').selectOption(task);
      await page.getByRole('button', { name: 'Start training' }).click();
      const line = page.getByLabel('Training log').getByText(/^Classical baseline/);
      await line.waitFor({ state: 'attached', timeout: 600_000 }); // the log is folded away
      lines[task] = (await line.textContent()) ?? '';
      await page.getByRole('button', { name: 'Stop' }).click();
      await page.close();
    }
    return lines;
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}
