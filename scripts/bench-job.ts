// npm run bench:job — a real fine-tuning job, timed beside PyTorch doing the same job on the same machine.
// TabTune: `runTraining` (the studio's and the CLI's own orchestration) on the first N rows of a CSV, from
// scratch (BERT-tiny shape, a vocabulary learned from the training texts), on Node's WASM backend: data
// preparation, vocabulary, tokenization, the baseline evaluation, the epochs with the trainer's own
// length-grouped batches, and the evaluations. PyTorch (scripts/reference/job_torch.py, Debian's
// python3-torch): the same model shape and vocabulary size on TabTune's own token ids and splits, the same
// batching rule, schedule, clipping, AdamW and dropout, the same evaluations — everything but the data
// preparation and tokenization, which it is handed. Prints JSON; nothing here is asserted anywhere.
//   npm run bench:job -- --csv ../shared/fixtures/womens-clothing-reviews.csv [--rows 2000] [--epochs 1]
//                        [--max-length 128] [--batch-size 32] [--lr 5e-4] [--text "Review Text"]
//                        [--pair Title] [--label Rating] [--no-torch]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { torchInstalled } from './torchPeer';
import { torchJob } from './torchJob';
import { readCsvBytes } from '../src/core/data/csv';
import { DEFAULT_TRAIN_CONFIG } from '../src/core/train/config';
import { runTraining } from '../src/core/train/run';
import { registerKernels } from '../src/core/runtime/registerKernels';

const { values: v } = parseArgs({
  options: {
    csv: { type: 'string' },
    rows: { type: 'string', default: '2000' },
    epochs: { type: 'string', default: '1' },
    'max-length': { type: 'string', default: '128' },
    'batch-size': { type: 'string', default: '32' },
    lr: { type: 'string', default: '5e-4' },
    text: { type: 'string', default: 'Review Text' },
    pair: { type: 'string', default: 'Title' },
    label: { type: 'string', default: 'Rating' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
if (!v.csv) {
  log('usage: npm run bench:job -- --csv FILE [--rows 2000] (see the top of scripts/bench-job.ts)');
  process.exit(2);
}
tf.env().set('PROD', true);
registerKernels(); // TabTune's own kernels, as chooseBackend registers them
await tf.setBackend('wasm');

const full = readCsvBytes(readFileSync(v.csv), v.csv);
const table = { ...full, rows: full.rows.slice(0, Number(v.rows)) };
const config = {
  ...DEFAULT_TRAIN_CONFIG,
  epochs: Number(v.epochs),
  maxLength: Number(v['max-length']),
  batchSize: Number(v['batch-size']),
  learningRate: Number(v.lr),
  seed: 42,
};
const lines: string[] = [];
let planned = 0; // when the trainer has its data tokenized and its schedule planned
log(`tabtune: ${table.rows.length} rows of ${v.csv}, ${config.epochs} epoch(s) on wasm…`);
const t0 = performance.now();
const run = await runTraining({
  data: { table, file: v.csv },
  validation: null,
  roles: { text: v.text as string, pair: v.pair || null, label: v.label as string },
  config,
  base: { kind: 'scratch' },
  backend: 'wasm',
  events: {
    log: (line) => lines.push(line),
    plan: () => {
      planned = performance.now();
    },
  },
});
const seconds = (performance.now() - t0) / 1000;
const trainingSeconds = (performance.now() - planned) / 1000;
const { data, record, model } = run;
model.dispose();
const result = record.result;
const tabtune = {
  backend: 'wasm (Node)',
  seconds: Number(seconds.toFixed(1)),
  // Data preparation, the learned vocabulary and tokenization; PyTorch is handed their result.
  preparationSeconds: Number(((planned - t0) / 1000).toFixed(1)),
  trainingSeconds: Number(trainingSeconds.toFixed(1)),
  steps: result.steps,
  validation: result.final.validation,
  padding: lines.find((l) => /padd/i.test(l)) ?? null,
};
log(`tabtune: ${JSON.stringify(tabtune)}`);

const pytorch = v['no-torch'] || !torchInstalled() ? null : torchJob(run);
// The same work on both sides: everything from the baseline evaluation to the last one.
const ratio = pytorch ? Number((tabtune.trainingSeconds / pytorch.seconds).toFixed(2)) : null;
process.stdout.write(
  `${JSON.stringify({ job: { csv: v.csv, rows: table.rows.length, split: { train: data.train.length, validation: data.validation.length, test: data.test.length }, ...config, task: data.spec.task }, tabtune, pytorch, tabtuneOverPytorch: ratio }, null, 2)}\n`,
);
