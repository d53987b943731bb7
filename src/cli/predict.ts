import { freeColumnNames } from '../core/data/csvWrite';
import { writeFileSync } from 'node:fs';
import { startBackend } from './backend';
import { loadCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/load';
import { requireColumn, requireWellFormed, type CsvTable } from '../core/data/csv';
import { writeCsv } from '../core/data/csvWrite';
import {
  buildDataset,
  hasVisibleText,
  labelSourceOf,
  summarizeBadRows,
  type BadRow,
  type ColumnRoles,
} from '../core/data/dataset';
import { unseenTags } from '../core/data/labelSets';
import { unscorableReason, type LabelSpec, type Prediction } from '../core/data/labels';
import { TabTuneError } from '../core/errors';
import { evaluateSplit, predictAll } from '../core/train/evaluate';
import { loadFineTuned, pairMismatch, type FineTuned } from '../core/train/fineTuned';
import { log, readCsvFile, sourceFor } from './common';

/** A fine-tuned model for scoring, with a warning when the second text given differs from the one it trained on. */
export async function loadForScoring(
  modelArg: string,
  revision: string,
  pairColumn: string | null,
): Promise<FineTuned & { ckpt: LoadedCheckpoint }> {
  await startBackend();
  const ckpt = await loadCheckpoint(sourceFor(modelArg, revision));
  const fineTuned = loadFineTuned(ckpt);
  const mismatch = pairMismatch(fineTuned.trained, pairColumn);
  if (mismatch) log(`warning: ${modelArg}: ${mismatch}`);
  return { ...fineTuned, ckpt };
}

/** Refuses a file without the text (and pair) column. */
export function columnsFor(table: CsvTable, file: string, text: string, pair: string | null) {
  requireColumn(table, text, file);
  if (pair !== null) requireColumn(table, pair, file);
}

/** What the commands that score a file's rows (predict, explain) are given: the model, the rows, the output. */
export interface ScoringInputs {
  model: string;
  revision: string;
  data: string;
  textColumn: string;
  pairColumn: string | null;
  out: string;
}

export interface PredictArgs extends ScoringInputs {
  batchSize: number;
}

/**
 * The file's rows and the model that scores them, checked: the columns exist, the file is well formed, and the rows
 * without readable text (which training calls unusable) are set apart, by line.
 */
export async function openForScoring(args: ScoringInputs) {
  const table = readCsvFile(args.data);
  columnsFor(table, args.data, args.textColumn, args.pairColumn);
  requireWellFormed(table, args.data);
  const loaded = await loadForScoring(args.model, args.revision, args.pairColumn);
  const scorable: CsvTable['rows'] = [];
  const unreadable: number[] = [];
  for (const row of table.rows)
    if (hasVisibleText(row.values[args.textColumn] ?? '')) scorable.push(row);
    else unreadable.push(row.line);
  const encode = ({ values }: (typeof scorable)[number]) =>
    loaded.ckpt.tokenizer.encode(
      values[args.textColumn] ?? '',
      args.pairColumn === null ? null : (values[args.pairColumn] ?? ''),
      loaded.maxLength,
    );
  return { ...loaded, table, scorable, unreadable, encode };
}

/**
 * The names of the columns predict adds: "score" (and "p_rating_<k>" per class), or, multi-label, "labels" and
 * "p_<label>" per label; when the input already has a column of one of those names, the first of "tabtune_",
 * "tabtune2_", "tabtune3_"… whose names are all free — the user's columns are never overwritten and no header is
 * written twice.
 */
export function outputColumns(inputColumns: readonly string[], spec: LabelSpec): string[] {
  if (spec.task === 'multi-label')
    return freeColumnNames(inputColumns, ['labels', ...(spec.labels ?? []).map((l) => `p_${l}`)]);
  const classes = spec.task === 'classification' ? spec.classes : [];
  return freeColumnNames(inputColumns, ['score', ...classes.map((c) => `p_rating_${c}`)]);
}

/**
 * What predict writes for one row after the input's columns: the score (and each class's probability), or,
 * multi-label, the labels at or over their thresholds (";"-separated) and each label's probability. Pure.
 */
export function predictionCells(spec: LabelSpec, p: Prediction): string[] {
  if (spec.task !== 'multi-label') return [String(p.score), ...(p.probabilities ?? []).map(String)];
  const probs = p.probabilities ?? [];
  const names = spec.labels ?? [];
  const on = names.filter((_, k) => (probs[k] as number) >= (spec.labelThresholds?.[k] ?? 0.5));
  return [on.join(';'), ...probs.map(String)];
}

/** Writes the input columns plus `score` (and one probability column per class for classification). */
export async function runPredict(args: PredictArgs): Promise<void> {
  // Rows without readable text are not scored (training calls them unusable); their score is left empty.
  const { table, ckpt, spec, model, scorable, encode } = await openForScoring(args);
  const encoded = scorable.map(encode);
  const predictions = new Map<number, Prediction>();
  (await predictAll(model, spec, encoded, ckpt.tokenizer.padId, args.batchSize)).forEach((p, i) =>
    predictions.set(scorable[i]!.line, p),
  );
  model.dispose();
  const [scoreColumn, ...probColumns] = outputColumns(table.columns, spec);
  const wanted = spec.task === 'multi-label' ? 'labels' : 'score';
  if (scoreColumn !== wanted)
    log(
      `warning: ${args.data} already has a column named "${wanted}"; the predictions are in "${scoreColumn}".`,
    );
  const skipped = table.rows.filter((r) => !predictions.has(r.line)).map((r) => r.line);
  if (skipped.length > 0)
    log(
      `warning: ${skipped.length} row(s) have no readable text in "${args.textColumn}" and get no score (lines ${skipped.slice(0, 10).join(', ')}${skipped.length > 10 ? ', …' : ''}).`,
    );
  const fields = [...table.columns, scoreColumn as string, ...probColumns];
  const data = table.rows.map(({ line, values }) => {
    const p = predictions.get(line);
    const extra = p ? predictionCells(spec, p) : fields.map(() => '');
    return [...table.columns.map((c) => values[c] ?? ''), ...extra].slice(0, fields.length);
  });
  writeFileSync(args.out, writeCsv({ fields, data }));
  log(`wrote ${predictions.size} predictions to ${args.out} (${scoreColumn} = ${scoreMeaning(spec)})`);
}

/** What predict's first added column holds. */
function scoreMeaning(spec: LabelSpec): string {
  if (spec.task === 'multi-label')
    return `the labels at or over their thresholds${spec.labelThresholds ? ' (chosen on validation)' : ' (0.5)'}; p_<label> their probabilities`;
  return spec.task === 'binary' ? `P(rating ≥ ${spec.threshold})` : 'predicted rating';
}

export interface EvalArgs {
  model: string;
  revision: string;
  data: string;
  textColumn: string;
  pairColumn: string | null;
  labelColumn: string;
  /** A multi-label model's labels: several 0/1 columns (labelColumn the first), or labelColumn's tags. */
  labelColumns: string[] | null;
  labelSeparator: string | null;
  batchSize: number;
}

/** The roles `eval` reads, checked against the model's task: a multi-label model needs its labels' source. */
function evalRoles(args: EvalArgs, spec: LabelSpec): ColumnRoles {
  const roles: ColumnRoles = {
    text: args.textColumn,
    pair: args.pairColumn,
    label: args.labelColumn,
    labelColumns: args.labelColumns,
    labelSeparator: args.labelSeparator,
  };
  const source = labelSourceOf(roles);
  if (spec.task === 'multi-label' && !source)
    throw new TabTuneError(
      'usage',
      `${args.model} is a multi-label model (${(spec.labels ?? []).join(', ')}): name its labels in ${args.data} with --label-columns a,b,c (0/1 columns) or --label-column tags --label-separator ";".`,
    );
  if (spec.task !== 'multi-label' && source)
    throw new TabTuneError(
      'usage',
      `${args.model} predicts a rating (${spec.task}); --label-columns and --label-separator are for a multi-label model. Give the rating column with --label-column.`,
    );
  return roles;
}

/** Prints the metrics of a fine-tuned model on a labelled CSV as JSON (stdout); unusable rows are listed. */
export async function runEval(args: EvalArgs): Promise<void> {
  const table = readCsvFile(args.data);
  columnsFor(table, args.data, args.textColumn, args.pairColumn);
  for (const column of args.labelColumns ?? [args.labelColumn]) requireColumn(table, column, args.data);
  const { ckpt, spec, model, maxLength } = await loadForScoring(args.model, args.revision, args.pairColumn);
  const ds = buildDataset(table, evalRoles(args, spec), args.data);
  const unseen =
    spec.task === 'multi-label'
      ? unseenTags(
          ds.examples.map((e) => e.tags ?? []),
          spec.labels ?? [],
        )
      : new Map();
  if (unseen.size > 0)
    log(
      `warning: ${args.data} has labels the model does not know, not scored: ${[...unseen].map(([t, n]) => `"${t}" (${n})`).join(', ')}.`,
    );
  const outside: BadRow[] = [];
  const examples = ds.examples.filter((e) => {
    const reason = unscorableReason(spec, e.rating);
    if (reason) outside.push({ line: e.line, reason });
    return reason === null;
  });
  const bad = [...ds.badRows, ...outside].sort((a, b) => a.line - b.line);
  if (bad.length > 0) {
    log(`${args.data}: ${summarizeBadRows(bad)}`);
    for (const b of bad.slice(0, 10)) log(`  line ${b.line}: ${b.reason}`);
  }
  if (examples.length === 0) {
    model.dispose();
    throw new TabTuneError('data', `${args.data} has no rows this model can be evaluated on (see above).`);
  }
  const encoded = examples.map((e) => ckpt.tokenizer.encode(e.text, e.pair, maxLength));
  const { metrics: m } = await evaluateSplit(
    model,
    spec,
    encoded,
    examples,
    ckpt.tokenizer.padId,
    args.batchSize,
    null,
    spec.labelThresholds ?? null, // multi-label: each label's F1 at the threshold validation chose
  );
  model.dispose();
  const labels = m.per_label
    ? { per_label: m.per_label, macro_auc: m.macro_auc, micro_auc: m.micro_auc }
    : {};
  process.stdout.write(
    `${JSON.stringify({ n: m.n, loss: m.loss, auc: m.auc, auc_95_interval: m.aucCi ? [m.aucCi.low, m.aucCi.high] : null, rmse: m.rmse, mae: m.mae, accuracy: m.accuracy, macro_f1: m.macroF1, ...labels, unusable_rows: bad.length, task: spec.task, threshold: spec.threshold }, null, 2)}\n`,
  );
}
