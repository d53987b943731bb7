import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkOutput, type InputPath } from './outputs';
import { TASKS, type Task } from '../core/data/labels';
import type { RowLimit } from '../core/data/rowLimit';
import { DEFAULT_LORA, validateLora, type LoraConfig } from '../core/model/lora';
import { describeError, TabTuneError } from '../core/errors';
import { DEFAULT_TRAIN_CONFIG, validateTrainConfig, type TrainConfig } from '../core/train/config';
import { runEmbed } from './embed';
import { takeBackendFlag } from './backend';
import { runEval, runPredict } from './predict';
import { runBaseline, type BaselineArgs } from './baseline';
import { runLrFind, type LrFindArgs } from './lrFind';
import { LR_FINDER } from '../core/train/lrFinder';
import { runResume, runTrain, type TrainArgs } from './train';
import type { RecipeField } from '../core/train/recipe';

const D = DEFAULT_TRAIN_CONFIG;
const USAGE = `TabTune command line (the studio's core, headless, in Node)

  Every command takes --backend auto|wasm|cpu|webgpu: by default WebAssembly (XNNPACK), the CPU backend if it
  cannot start; webgpu needs the \`webgpu\` package (Dawn for Node). The backend in use, and why, goes to stderr.

  npm run cli -- train --model <dir | hf-id | scratch> --data <csv> --text-column <c> --label-column <c> --out <dir>
      [--text-pair-column <c>] [--task regression|classification|binary] [--val-data <csv>]
      [--epochs <n>] [--batch-size ${D.batchSize}] [--lr <rate>] [--max-length ${D.maxLength}] [--seed ${D.seed}]
      [--weight-decay ${D.weightDecay}] [--warmup ${D.warmupRatio}] [--max-grad-norm ${D.maxGradNorm}] [--grad-accum ${D.gradAccumulation}]
      [--dropout <p>] [--patience ${D.earlyStopping.patience}] [--early-stop-on auc|loss] [--evals-per-epoch ${D.evalsPerEpoch}]
      [--threshold <rating>] [--scale 1-5] [--val-fraction ${D.validationFraction}] [--test-fraction ${D.testFraction}]
      [--freeze-embeddings] [--freeze-layers <n>] [--head-only] [--no-length-groups] [--no-classical]
      [--group-column <c>] [--group-split] [--max-rows <n> [--row-pick random|first]]
      [--lora r=8,alpha=16,dropout=0.05,targets=query+value[,rslora]] [--revision main]
    Fine-tunes with a task head; progress on stderr, one JSON line per evaluation in <out>/metrics.jsonl,
    and a Hugging Face-loadable model in <out>. While it trains, the run's state (weights, optimizer,
    schedule position) is saved in <out>/checkpoint after each evaluation and every 5 minutes; it is
    removed when the run ends. First it fits the classical baseline (TF-IDF + ridge or
    logistic regression) on the same split, prints its AUC and says at the end which model is ahead.
    --group-column (a user or item id) adds per-group ranking metrics (NDCG@5/@10, MAP, mean per-group AUC);
    --group-split keeps each group's rows in one split. --max-rows uses part of a large file: a random
    sample of that many rows (the same for the same --seed) or the first ones. --lora fine-tunes low-rank updates
    of the named layers (query, key, value, attention.output.dense, intermediate.dense, output.dense) and the head,
    with the base weights frozen; the export then holds the merged model and, in adapter/, an adapter PEFT loads. "scratch" builds a small BERT with a vocabulary learned
    from the training texts (no download). Without --lr and --epochs, the model's recipe sets them: from
    scratch 1e-3 for 4 epochs, a small pretrained BERT (hidden ≤ 512) 1e-4 for 4, larger ones 3e-5 for 3.

  npm run cli -- train --resume <out>
    Goes on with an interrupted run from its last saved state, with the run's own settings and files
    (the data must be unchanged: it is checked by fingerprint). It ends as the uninterrupted run would.

  npm run cli -- baseline --data <csv> --text-column <c> --label-column <c> [--text-pair-column <c>]
      [--task …] [--val-data <csv>] [--group-column <c>] [--group-split] [--max-rows …] [--seed …] [--threshold …] [--scale …] [--val-fraction …] [--test-fraction …]
      [--out <file.json>]
    The classical baseline alone, on the split train would make: TF-IDF over word unigrams and bigrams
    (min df 2, sublinear tf) + ridge (regression) or logistic regression (binary, classification);
    its validation and test metrics as JSON on stdout (and in --out).

  npm run cli -- lr-find --model <dir | hf-id | scratch> --data <csv> --text-column <c> --label-column <c>
      [train's data, split and model flags] [--steps 100] [--min-lr 1e-7] [--max-lr 1] [--out <file.json>]
    The learning-rate range test: trains on --steps batches while the rate grows exponentially, prints each
    rate's loss, puts the weights back, and suggests a rate (fastai's valley: half-way down the longest fall).

  npm run cli -- predict --model <dir> --data <csv> --text-column <c> [--text-pair-column <c>] --out <csv>
    The input columns plus "score" (predicted rating; P(positive) for binary; one probability per class
    for classification), named "tabtune_score" … when the input already has such a column. Rows without
    readable text get no score and are listed.

  npm run cli -- eval --model <dir> --data <csv> --text-column <c> [--text-pair-column <c>] --label-column <c>
    Prints metrics (AUC, RMSE, MAE, accuracy, macro-F1, loss) as JSON; unusable rows, and ratings outside
    the model's scale or classes, are listed on stderr.

  npm run cli -- embed --model <dir | hf-id> --data <csv> --text-column <c> [--text-pair-column <c>]
      [--max-length N] [--batch-size 16] [--revision main] --out <file.jsonl>
    One JSON line per row: {"input_ids", "token_type_ids", "cls", "pooled"} (cls = last hidden state at [CLS]).
`;

const common = {
  model: { type: 'string' },
  revision: { type: 'string', default: 'main' },
  data: { type: 'string' },
  'text-column': { type: 'string' },
  'text-pair-column': { type: 'string' },
  'batch-size': { type: 'string' },
  out: { type: 'string' },
} as const;

export async function main(argv: string[]): Promise<number> {
  // PROD silences TF.js's console banner (it suggests tfjs-node, a native download that TabTune avoids).
  tf.env().set('PROD', true);
  try {
    const [command, ...rest] = takeBackendFlag(argv);
    switch (command) {
      case 'embed':
        await runEmbed(embedArgs(rest));
        return 0;
      case 'train':
        if (rest.some((a) => a === '--resume' || a.startsWith('--resume='))) {
          const { values: v } = parseFlags({ args: rest, options: { resume: { type: 'string' } } });
          await runResume(required(v.resume, '--resume'));
        } else {
          await runTrain(trainArgs(rest));
        }
        return 0;
      case 'lr-find':
        await runLrFind(lrFindArgs(rest));
        return 0;
      case 'baseline':
        await runBaseline(baselineArgs(rest));
        return 0;
      case 'predict':
        await runPredict(predictArgs(rest));
        return 0;
      case 'eval': {
        const { values: v } = parseFlags({
          args: rest,
          options: { ...common, 'label-column': { type: 'string' } },
        });
        await runEval({
          model: required(v.model, '--model'),
          revision: v.revision ?? 'main',
          data: required(v.data, '--data'),
          textColumn: required(v['text-column'], '--text-column'),
          pairColumn: v['text-pair-column'] ?? null,
          labelColumn: required(v['label-column'], '--label-column'),
          batchSize: positiveInt(v['batch-size'] ?? '64', '--batch-size'),
        });
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
      default:
        throw new TabTuneError('usage', `unknown command "${command}".\n\n${USAGE}`);
    }
  } catch (e) {
    process.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  }
}

/** `embed`'s flags, checked, with its --out checked against its inputs. */
function embedArgs(rest: string[]): Parameters<typeof runEmbed>[0] {
  const { values: v } = parseFlags({
    args: rest,
    options: { ...common, 'max-length': { type: 'string' } },
  });
  const args = {
    model: required(v.model, '--model'),
    revision: v.revision ?? 'main',
    data: required(v.data, '--data'),
    textColumn: required(v['text-column'], '--text-column'),
    pairColumn: v['text-pair-column'] ?? null,
    maxLength: v['max-length'] === undefined ? null : positiveInt(v['max-length'], '--max-length'),
    batchSize: positiveInt(v['batch-size'] ?? '16', '--batch-size'),
    out: required(v.out, '--out'),
  };
  checkOutput(args.out, 'file', [
    { flag: '--data', path: args.data },
    { flag: '--model', path: args.model },
  ]);
  return args;
}

/** `predict`'s flags, checked, with its --out checked against its inputs. */
function predictArgs(rest: string[]): Parameters<typeof runPredict>[0] {
  const { values: v } = parseFlags({ args: rest, options: common });
  const args = {
    model: required(v.model, '--model'),
    revision: v.revision ?? 'main',
    data: required(v.data, '--data'),
    textColumn: required(v['text-column'], '--text-column'),
    pairColumn: v['text-pair-column'] ?? null,
    out: required(v.out, '--out'),
    batchSize: positiveInt(v['batch-size'] ?? '64', '--batch-size'),
  };
  checkOutput(args.out, 'file', [
    { flag: '--data', path: args.data },
    { flag: '--model', path: args.model },
  ]);
  return args;
}

/** `train`'s flags, checked, as the arguments of runTrain (every default from DEFAULT_TRAIN_CONFIG). */
function trainArgs(rest: string[]): TrainArgs {
  const { v, args } = runFlags(rest);
  const model = required(v.model, '--model');
  const out = required(v.out, '--out');
  checkOutput(out, 'folder', runInputs(v));
  return { ...args, model, out };
}

/** `baseline`'s flags: train's data, column and split flags (the model and training flags do not matter). */
function baselineArgs(rest: string[]): BaselineArgs {
  const { v, args } = runFlags(rest);
  if (v.out !== undefined) checkOutput(v.out, 'file', runInputs(v));
  return { ...args, out: v.out ?? null };
}

/** `lr-find`'s flags: train's, and the sweep's steps and range. */
function lrFindArgs(rest: string[]): LrFindArgs {
  const { v, args } = runFlags(rest, {
    steps: { type: 'string' },
    'min-lr': { type: 'string' },
    'max-lr': { type: 'string' },
  });
  const options = {
    steps: positiveInt(v.steps ?? String(LR_FINDER.steps), '--steps'),
    minLr: number(v['min-lr'], LR_FINDER.minLr, '--min-lr'),
    maxLr: number(v['max-lr'], LR_FINDER.maxLr, '--max-lr'),
  };
  if (!(options.minLr > 0 && options.maxLr > options.minLr))
    throw new TabTuneError(
      'usage',
      `--min-lr must be above 0 and below --max-lr (got ${options.minLr} and ${options.maxLr}).`,
    );
  if (v.out !== undefined) checkOutput(v.out, 'file', runInputs(v));
  return { ...args, model: required(v.model, '--model'), options, out: v.out ?? null };
}

/** What `train`, `baseline` and `lr-find` read: their --out must be none of these. */
function runInputs(v: { data?: string; 'val-data'?: string; model?: string }): InputPath[] {
  return [
    { flag: '--data', path: v.data ?? null },
    { flag: '--val-data', path: v['val-data'] ?? null },
    { flag: '--model', path: v.model ?? null },
  ];
}

/** The flags `train`, `baseline` and `lr-find` share. */
const RUN_FLAGS = {
  ...common,
  'label-column': { type: 'string' },
  task: { type: 'string', default: D.task },
  'val-data': { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  'max-length': { type: 'string' },
  seed: { type: 'string' },
  'weight-decay': { type: 'string' },
  warmup: { type: 'string' },
  'max-grad-norm': { type: 'string' },
  'grad-accum': { type: 'string' },
  dropout: { type: 'string' },
  patience: { type: 'string' },
  'early-stop-on': { type: 'string' },
  'evals-per-epoch': { type: 'string' },
  threshold: { type: 'string' },
  scale: { type: 'string' },
  'val-fraction': { type: 'string' },
  'test-fraction': { type: 'string' },
  'freeze-embeddings': { type: 'boolean', default: false },
  'freeze-layers': { type: 'string' },
  'head-only': { type: 'boolean', default: false },
  'no-length-groups': { type: 'boolean', default: false },
  'no-classical': { type: 'boolean', default: false },
  'group-column': { type: 'string' },
  'group-split': { type: 'boolean', default: false },
  'max-rows': { type: 'string' },
  'row-pick': { type: 'string' },
  lora: { type: 'string' },
} as const;

/**
 * `--lora r=8,alpha=16,dropout=0.05,targets=query+value,rslora` (every part optional; `--lora default` for PEFT's
 * usual r 8, alpha 16 on query and value).
 */
export function loraFlag(text: string): LoraConfig {
  const lora = { ...DEFAULT_LORA };
  if (text.trim() === '' || text.trim() === 'default') return lora;
  for (const part of text.split(',').map((p) => p.trim())) {
    const [key, value] = part.split('=') as [string, string | undefined];
    const num = () => {
      const n = Number(value);
      if (value === undefined || value === '' || !Number.isFinite(n))
        throw new TabTuneError('usage', `--lora ${key} needs a number, e.g. ${key}=${lora[key as 'r']}.`);
      return n;
    };
    if (key === 'r') lora.r = num();
    else if (key === 'alpha') lora.alpha = num();
    else if (key === 'dropout') lora.dropout = num();
    else if (key === 'targets') lora.targets = (value ?? '').split('+').filter((t) => t !== '');
    else if (key === 'rslora') lora.rslora = value === undefined || value === 'true';
    else
      throw new TabTuneError(
        'usage',
        `--lora does not know "${key}"; it takes r=, alpha=, dropout=, targets=a+b and rslora (e.g. --lora r=8,alpha=16,targets=query+value).`,
      );
  }
  return validateLora(lora);
}

function rowLimitFlags(maxRows: string | undefined, pick: string | undefined): RowLimit | null {
  if (maxRows === undefined) {
    if (pick !== undefined) throw new TabTuneError('usage', '--row-pick needs --max-rows <n>.');
    return null;
  }
  const p = pick ?? 'random';
  if (p !== 'random' && p !== 'first')
    throw new TabTuneError('usage', `--row-pick must be random or first, got "${p}".`);
  return { rows: positiveInt(maxRows, '--max-rows'), pick: p };
}

/** The flags `train`, `baseline` and `lr-find` share, checked, and the command's own (`extra`), unchecked. */
function runFlags(rest: string[], extra: Record<string, { type: 'string' }> = {}) {
  const { values } = parseFlags({ args: rest, options: { ...RUN_FLAGS, ...extra } });
  const v = values as typeof values & Record<string, string | undefined>;
  const task = v.task as Task;
  if (!TASKS.includes(task))
    throw new TabTuneError('usage', `--task must be one of ${TASKS.join(', ')}, got "${v.task}".`);
  const metric = v['early-stop-on'] ?? D.earlyStopping.metric;
  if (metric !== 'auc' && metric !== 'loss')
    throw new TabTuneError('usage', `--early-stop-on must be auc or loss, got "${metric}".`);
  const config: TrainConfig = {
    ...D,
    task,
    epochs: positiveInt(v.epochs ?? String(D.epochs), '--epochs'),
    batchSize: positiveInt(v['batch-size'] ?? String(D.batchSize), '--batch-size'),
    learningRate: number(v.lr, D.learningRate, '--lr'),
    maxLength: positiveInt(v['max-length'] ?? String(D.maxLength), '--max-length'),
    seed: wholeNumber(v.seed, D.seed, '--seed'),
    weightDecay: number(v['weight-decay'], D.weightDecay, '--weight-decay'),
    warmupRatio: number(v.warmup, D.warmupRatio, '--warmup'),
    maxGradNorm: number(v['max-grad-norm'], D.maxGradNorm, '--max-grad-norm'),
    gradAccumulation: positiveInt(v['grad-accum'] ?? String(D.gradAccumulation), '--grad-accum'),
    groupByLength: !(v['no-length-groups'] ?? false),
    classicalBaseline: !(v['no-classical'] ?? false),
    groupSplit: v['group-split'] ?? false,
    validationFraction: number(v['val-fraction'], D.validationFraction, '--val-fraction'),
    testFraction: number(v['test-fraction'], D.testFraction, '--test-fraction'),
    dropout: v.dropout === undefined ? null : number(v.dropout, 0, '--dropout'),
    evalsPerEpoch: positiveInt(v['evals-per-epoch'] ?? String(D.evalsPerEpoch), '--evals-per-epoch'),
    threshold: v.threshold === undefined ? null : number(v.threshold, 0, '--threshold'),
    scale: v.scale === undefined ? null : ratingScale(v.scale),
    earlyStopping: {
      metric,
      patience: wholeNumber(v.patience, D.earlyStopping.patience, '--patience'),
    },
    rowLimit: rowLimitFlags(v['max-rows'], v['row-pick']),
    lora: v.lora === undefined ? null : loraFlag(v.lora),
    freeze: {
      embeddings: v['freeze-embeddings'] ?? false,
      bottomLayers: wholeNumber(v['freeze-layers'], 0, '--freeze-layers'),
      headOnly: v['head-only'] ?? false,
    },
  };
  validateTrainConfig(config); // every command that takes these flags, before any file is read
  const args = {
    revision: v.revision ?? 'main',
    data: required(v.data, '--data'),
    valData: v['val-data'] ?? null,
    textColumn: required(v['text-column'], '--text-column'),
    pairColumn: v['text-pair-column'] ?? null,
    labelColumn: required(v['label-column'], '--label-column'),
    groupColumn: v['group-column'] ?? null,
    config,
    setByUser: setByUser(v.lr, v.epochs),
  };
  return { v, args };
}

/** Which of the recipe's settings the command line gave (train/recipe.ts fills the others). */
function setByUser(lr: string | undefined, epochs: string | undefined): Set<RecipeField> {
  const fields: RecipeField[] = [];
  if (lr !== undefined) fields.push('learningRate');
  if (epochs !== undefined) fields.push('epochs');
  return new Set(fields);
}

/**
 * node:util parseArgs, with its complaints (unknown flag, missing value) turned into usage errors. A value that
 * is a negative number (`--lr -0.001`) is taken as the flag's value, as a person means it, so that the flag's own
 * rule answers it ("--lr must be between 0 and 1") rather than the parser's ("argument is ambiguous").
 */
function parseFlags<T extends ParseArgsConfig>(config: T) {
  const args = (config.args ?? []).map((a, i, all) =>
    /^-\.?\d/.test(a) && /^--[^=]+$/.test(all[i - 1] ?? '') ? `=${a}` : a,
  );
  const joined = args.reduce<string[]>(
    (out, a) => (a.startsWith('=') ? [...out.slice(0, -1), `${out.at(-1)!}${a}`] : [...out, a]),
    [],
  );
  try {
    return parseArgs({ ...config, args: joined, strict: true, allowPositionals: false });
  } catch (e) {
    throw new TabTuneError('usage', `${(e as Error).message}. Run "npm run cli -- help" for usage.`);
  }
}

function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === '')
    throw new TabTuneError('usage', `${flag} is required. Run "npm run cli -- help" for usage.`);
  return v;
}

function positiveInt(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new TabTuneError('usage', `${flag} must be a positive whole number, got "${v}".`);
  return n;
}

function wholeNumber(v: string | undefined, fallback: number, flag: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new TabTuneError('usage', `${flag} must be a whole number ≥ 0, got "${v}".`);
  return n;
}

/** "1-5" or "0-10": the rating scale, when the data do not span it. */
function ratingScale(v: string): { min: number; max: number } {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$/.exec(v);
  if (!m || !(Number(m[2]) > Number(m[1])))
    throw new TabTuneError('usage', `--scale must look like 1-5 (min-max), got "${v}".`);
  return { min: Number(m[1]), max: Number(m[2]) };
}

function number(v: string | undefined, fallback: number, flag: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n))
    throw new TabTuneError('usage', `${flag} must be a number, got "${v}".`);
  return n;
}
