import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { checkOutput, type InputPath } from './outputs';
import { describeError, SettingError, TabTuneError } from '../core/errors';
import { runEmbed } from './embed';
import { exportOnnxOut, runExportOnnx } from './exportOnnx';
import { runExplain, type ExplainArgs } from './explain';
import { IG_STEPS } from '../core/explain/integratedGradients';
import { takeBackendFlag } from './backend';
import { runEval, runPredict } from './predict';
import { runBaseline, type BaselineArgs } from './baseline';
import { runAudit, type AuditArgs } from './audit';
import { DEFAULT_FOLDS } from '../core/audit/audit';
import { runLrFind, type LrFindArgs } from './lrFind';
import { LR_FINDER } from '../core/train/lrFinder';
import { runResume, runTrain, type TrainArgs } from './train';
import { runSearchCommand, runSearchResume, type SearchArgs } from './search';
import { DEFAULT_SEARCH } from '../core/search/search';
import { flagOf, labelFlags, RUN_FLAGS, runFlags, runFlagUsage } from './runFlags';
import { number, parseFlags, positiveInt, required } from './values';

const RUN = runFlagUsage('      ');
const USAGE = `TabTune command line (the studio's core, headless, in Node)

  Every command takes --backend auto|wasm|cpu|webgpu: by default WebAssembly (XNNPACK), the CPU backend if it
  cannot start; webgpu needs the \`webgpu\` package (Dawn for Node). The backend in use, and why, goes to stderr.

  npm run cli -- train ${RUN.required}
${RUN.optional}
    Fine-tunes with a task head; progress on stderr, one JSON line per evaluation in <out>/metrics.jsonl,
    and a Hugging Face-loadable model in <out>. While it trains, the run's state (weights, optimizer,
    schedule position) is saved in <out>/run-state after each evaluation and every 5 minutes; it is
    removed when the run ends. First it fits the classical baseline (TF-IDF + ridge or
    logistic regression) on the same split, prints its AUC and says at the end which model is ahead.
    --group-column (a user or item id) adds per-group ranking metrics (NDCG@5/@10, MAP, mean per-group AUC);
    --group-split keeps each group's rows in one split. --slice-column (a department, an age) breaks the held-out AUC
    down by its values (numbers in five bands) with intervals, and names the slices reliably below the whole
    (metrics.json's "slices", the model card's "Where the model is weak"). --max-rows uses part of a large file: a random
    sample of that many rows (the same for the same --seed) or the first ones. --lora fine-tunes low-rank updates
    of the named layers (query, key, value, attention.output.dense, intermediate.dense, output.dense) and the head,
    with the base weights frozen; the export then holds the merged model and, in adapter/, an adapter PEFT loads. "scratch" builds a small BERT with a vocabulary learned
    from the training texts (no download). Without --lr and --epochs, the model's recipe sets them: from
    scratch 1e-3 for 4 epochs, a small pretrained BERT (hidden ≤ 512) 1e-4 for 4, larger ones 3e-5 for 3.

  npm run cli -- train --resume <out>
    Goes on with an interrupted run from its last saved state, with the run's own settings and files
    (the data must be unchanged: it is checked by fingerprint). It ends as the uninterrupted run would.

  npm run cli -- search ${RUN.required}
      [train's flags] [--budget-minutes N] [--trials ${DEFAULT_SEARCH.maxTrials}] [--no-lr-finder]
    Searches the settings the data allows: the recipe's, the LR finder's rate, and rates over 1.6 decades around
    the recipe with batch size, warmup, weight decay, dropout (and LoRA rank), by successive halving on validation
    AUC within the budget (as many trials as it fits). The winner is finished and exported to <out> as train
    exports a run, scored on test once against the recipe (paired interval); <out>/search.json has every trial.
    While it runs, its state is saved in <out>/search-state.zip after each trial's rung (removed at the end).

  npm run cli -- search --resume <out>
    Goes on with an interrupted search from its saved state, with its own settings, trials and time spent.

  npm run cli -- baseline --data <csv> --text-column <c> --label-column <c> [--text-pair-column <c>]
      [--task …] [--val-data <csv>] [--group-column <c>] [--group-split] [--max-rows …] [--seed …] [--threshold …] [--scale …] [--val-fraction …] [--test-fraction …]
      [--out <file.json>]
    The classical baseline alone, on the split train would make: TF-IDF over word unigrams and bigrams
    (min df 2, sublinear tf) + ridge (regression) or logistic regression (binary, classification);
    its validation and test metrics as JSON on stdout (and in --out).

  npm run cli -- audit --data <csv> --text-column <c> --label-column <c> [--text-pair-column <c>] [--task …]
      [--model <dir | hf-id | scratch> [train's training flags]] [--group-column <c>] [--folds ${DEFAULT_FOLDS}] [--seed …] [--max-rows …] [--scale …] [--threshold …] --out <flagged.csv>
    The label audit: every usable row predicted out of sample by the classical baseline in --folds folds (copies
    of a text and a group's rows kept in one fold), its given label scored against that prediction: most
    suspicious first, the input's columns plus "line", "given", "predicted", "suggested", "suspicion" (0–1: for
    ratings, 1 − the chance that a correct rating lies as far from its prediction) and "words" (the terms that
    pushed the prediction away from the given label). It says how many labels look wrong. With --model, that
    model is also fine-tuned once per fold on the other folds (k runs, as train would run them) and its
    predictions are averaged in where its out-of-sample AUC is at least the classical model's. Then
    \`train … --exclude flagged.csv --above 0.95\` leaves the rows at or above that suspicion out of training and
    validation (--relabel gives them their "suggested" rating, edited or not); the test rows stay as they are.

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

  npm run cli -- explain --model <dir> --data <csv> --text-column <c> [--text-pair-column <c>] --out <file.jsonl>
      [--steps ${IG_STEPS}]
    Why each row got its score: one JSON line per row with its "tokens", one "attributions" value per token
    (integrated gradients on the word embeddings from an all-[PAD] baseline, summed over the hidden size, in the
    score's units), "score" and "baseline_score" (the attributions add up to their difference), and "words" (word
    pieces summed). The score explained: the predicted rating, P(positive) for binary, or the probability of the
    predicted rating for classification ("explained_rating").

  npm run cli -- export-onnx --model <dir> [--out <dir>]
    Writes onnx/model.onnx (float32) and onnx/model_quantized.onnx (int8 weights) into the model's folder (or
    --out): what train's export holds already, for exports made before it did. transformers.js and ONNX Runtime
    Web load the folder as it is.

  npm run cli -- embed --model <dir | hf-id> --data <csv> --text-column <c> [--text-pair-column <c>]
      [--max-length N] [--batch-size 16] [--revision main] --out <file.jsonl>
    One JSON line per row: {"input_ids", "token_type_ids", "cls", "pooled"} (cls = last hidden state at [CLS]).
`;

/** The run flags `predict`, `eval` and `embed` take too (declared once, in runFlags.ts). */
const common = {
  model: RUN_FLAGS.model as { type: 'string' },
  revision: RUN_FLAGS.revision as { type: 'string' },
  data: RUN_FLAGS.data as { type: 'string' },
  'text-column': RUN_FLAGS['text-column'] as { type: 'string' },
  'text-pair-column': RUN_FLAGS['text-pair-column'] as { type: 'string' },
  'batch-size': RUN_FLAGS['batch-size'] as { type: 'string' },
  out: RUN_FLAGS.out as { type: 'string' },
};

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
      case 'search':
        if (rest.some((a) => a === '--resume' || a.startsWith('--resume='))) {
          const { values: v } = parseFlags({ args: rest, options: { resume: { type: 'string' } } });
          await runSearchResume(required(v.resume, '--resume'));
        } else await runSearchCommand(searchArgs(rest));
        return 0;
      case 'baseline':
        await runBaseline(baselineArgs(rest));
        return 0;
      case 'audit':
        await runAudit(auditArgs(rest));
        return 0;
      case 'predict':
        await runPredict(predictArgs(rest));
        return 0;
      case 'explain':
        await runExplain(explainArgs(rest));
        return 0;
      case 'export-onnx': {
        const { values: v } = parseFlags({ args: rest, options: { model: common.model, out: common.out } });
        const model = required(v.model, '--model');
        await runExportOnnx({ model, out: exportOnnxOut(model, v.out) });
        return 0;
      }
      case 'eval': {
        const { values: v } = parseFlags({
          args: rest,
          options: {
            ...common,
            'label-column': { type: 'string' },
            'label-columns': { type: 'string' },
            'label-separator': { type: 'string' },
          },
        });
        await runEval({
          model: required(v.model, '--model'),
          revision: v.revision ?? 'main',
          data: required(v.data, '--data'),
          textColumn: required(v['text-column'], '--text-column'),
          pairColumn: v['text-pair-column'] ?? null,
          ...labelFlags(v['label-column'], v['label-columns'], v['label-separator']),
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
    // A refused setting is named by the flag that set it ("--lr must be > 0 and < 1 (got -0.001).").
    process.stderr.write(`error: ${e instanceof SettingError ? e.named(flagOf) : describeError(e)}\n`);
    return 1;
  }
}

/**
 * The flags `embed`, `predict` and `explain` share — a model, a CSV, its text (and pair) column, an output file
 * checked against the inputs — and each command's own (`extra`, with `defaults` for the shared ones).
 */
function scoringArgs<E extends Record<string, { type: 'string' }>>(
  rest: string[],
  extra: E,
  defaults: { batchSize: string },
) {
  const { values } = parseFlags({ args: rest, options: { ...common, ...extra } });
  const v = values as Record<string, string | undefined>;
  const shared = {
    model: required(v.model, '--model'),
    revision: v.revision ?? 'main',
    data: required(v.data, '--data'),
    textColumn: required(v['text-column'], '--text-column'),
    pairColumn: v['text-pair-column'] ?? null,
    batchSize: positiveInt(v['batch-size'] ?? defaults.batchSize, '--batch-size'),
    out: required(v.out, '--out'),
  };
  checkOutput(shared.out, 'file', [
    { flag: '--data', path: shared.data },
    { flag: '--model', path: shared.model },
  ]);
  return { shared, v: v as Record<keyof E & string, string | undefined> };
}

/** `embed`'s flags, checked. */
function embedArgs(rest: string[]): Parameters<typeof runEmbed>[0] {
  const { shared, v } = scoringArgs(rest, { 'max-length': { type: 'string' } }, { batchSize: '16' });
  const maxLength = v['max-length'] === undefined ? null : positiveInt(v['max-length'], '--max-length');
  return { ...shared, maxLength };
}

/** `predict`'s flags, checked. */
function predictArgs(rest: string[]): Parameters<typeof runPredict>[0] {
  return scoringArgs(rest, {}, { batchSize: '64' }).shared;
}

/** `explain`'s flags, checked. */
function explainArgs(rest: string[]): ExplainArgs {
  const { shared, v } = scoringArgs(
    rest,
    { steps: { type: 'string' }, label: { type: 'string' } },
    { batchSize: '64' },
  );
  return { ...shared, steps: positiveInt(v.steps ?? String(IG_STEPS), '--steps'), label: v.label ?? null };
}

/** `train`'s flags, checked, as the arguments of runTrain (every default from DEFAULT_TRAIN_CONFIG). */
function trainArgs(rest: string[]): TrainArgs {
  const { v, args } = runFlags(rest);
  const model = required(v.model, '--model');
  const out = required(v.out, '--out');
  checkOutput(out, 'folder', runInputs(v));
  return { ...args, model, out };
}

/** `search`'s flags: train's, and the search's budget, number of trials and whether the LR finder adds one. */
function searchArgs(rest: string[]): SearchArgs {
  const { v, args } = runFlags(rest, {
    'budget-minutes': { type: 'string' },
    trials: { type: 'string' },
    'no-lr-finder': { type: 'boolean' } as unknown as { type: 'string' },
  });
  const model = required(v.model, '--model');
  const out = required(v.out, '--out');
  if (args.config.task === 'multi-label')
    throw new TabTuneError(
      'usage',
      'The settings search compares its winner with the recipe on a rating’s AUC; it does not take the multi-label task yet. Train with train (lr-find suggests a rate for it).',
    );
  checkOutput(out, 'folder', runInputs(v));
  const minutes = v['budget-minutes'];
  const budget = minutes === undefined ? null : number(minutes, 0, '--budget-minutes');
  if (budget !== null && !(budget > 0))
    throw new TabTuneError('usage', `--budget-minutes must be > 0 (got ${minutes}).`);
  return {
    ...args,
    model,
    out,
    budgetMinutes: budget,
    trials: positiveInt(v.trials ?? String(DEFAULT_SEARCH.maxTrials), '--trials'),
    lrFinder: (v as Record<string, unknown>)['no-lr-finder'] !== true,
  };
}

/** `baseline`'s flags: train's data, column and split flags (the model and training flags do not matter). */
function baselineArgs(rest: string[]): BaselineArgs {
  const { v, args } = runFlags(rest);
  if (v.out !== undefined) checkOutput(v.out, 'file', runInputs(v));
  return { ...args, out: v.out ?? null };
}

/** `audit`'s flags: train's data and column flags, the folds, and the CSV it writes. */
function auditArgs(rest: string[]): AuditArgs {
  const { v, args } = runFlags(rest, { folds: { type: 'string' } });
  const out = required(v.out, '--out');
  checkOutput(out, 'file', runInputs(v));
  return {
    ...args,
    out,
    folds: positiveInt(v.folds ?? String(DEFAULT_FOLDS), '--folds'),
    model: v.model ?? null,
  };
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
