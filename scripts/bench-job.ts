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
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PYTHON, torchInstalled } from './torchPeer';
import { readCsvBytes } from '../src/core/data/csv';
import { targetOf } from '../src/core/data/labels';
import { DEFAULT_TRAIN_CONFIG } from '../src/core/train/config';
import { runTraining } from '../src/core/train/run';
import { evaluatesAfter, planLr, planSchedule } from '../src/core/train/schedule';
import { encodeExamples } from '../src/core/train/trainer';

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
const { data, checkpoint, record, model } = run;
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

const pytorch = v['no-torch'] ? null : torchJob();
// The same work on both sides: everything from the baseline evaluation to the last one.
const ratio = pytorch ? Number((tabtune.trainingSeconds / pytorch.seconds).toFixed(2)) : null;
process.stdout.write(
  `${JSON.stringify({ job: { csv: v.csv, rows: table.rows.length, split: { train: data.train.length, validation: data.validation.length, test: data.test.length }, ...config, task: data.spec.task }, tabtune, pytorch, tabtuneOverPytorch: ratio }, null, 2)}\n`,
);

/** The same job in PyTorch, on TabTune's own token ids; null when python3-torch is not installed. */
function torchJob(): { seconds: number; steps: number; [k: string]: unknown } | null {
  if (!torchInstalled()) return null;
  const encode = (split: 'train' | 'validation' | 'test') => {
    const examples = data[split];
    const enc = encodeExamples(checkpoint.tokenizer, examples, config.maxLength);
    return {
      ids: enc.map((e) => e.inputIds),
      types: enc.map((e) => e.tokenTypeIds),
      targets: examples.map((e) => targetOf(data.spec, e.rating)),
      positive: examples.map((e) => e.rating >= data.spec.threshold),
    };
  };
  const dir = mkdtempSync(join(tmpdir(), 'tabtune-job-'));
  try {
    const file = join(dir, 'job.json');
    const c = checkpoint.config;
    const plan = planSchedule(data.train.length, run.record.trainConfig);
    const steps = Array.from({ length: plan.totalSteps }, (_, k) => k);
    const job = {
      model: {
        vocab: c.vocab_size,
        positions: c.max_position_embeddings,
        layers: c.num_hidden_layers,
        hidden: c.hidden_size,
        heads: c.num_attention_heads,
        intermediate: c.intermediate_size,
      },
      task: data.spec.task,
      numLabels: data.spec.task === 'classification' ? data.spec.classes.length : 1,
      padId: checkpoint.tokenizer.padId,
      config: run.record.trainConfig,
      // The trainer's own schedule, step by step: the learning rate of each step, and after which it evaluates.
      lr: steps.map((k) => planLr(plan, k)),
      evaluateAfter: steps.filter((k) => evaluatesAfter(plan, k + 1)).map((k) => k + 1),
      train: encode('train'),
      validation: encode('validation'),
      test: encode('test'),
    };
    writeFileSync(file, JSON.stringify(job));
    log('pytorch: the same job…');
    return JSON.parse(
      execFileSync(PYTHON, ['scripts/reference/job_torch.py', file], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
