import { writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { chooseBackend, NODE_BACKENDS } from '../core/backend';
import { loadCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/load';
import { requireColumn, requireWellFormed, type CsvTable } from '../core/data/csv';
import { buildDataset, summarizeBadRows } from '../core/data/dataset';
import { numLabels, type LabelSpec, type Prediction } from '../core/data/labels';
import { TabTuneError } from '../core/errors';
import { SequenceClassifier } from '../core/model/classifier';
import { computeMetrics, modelOutputs, predictAll } from '../core/train/evaluate';
import { labelSpecFromConfig } from '../core/train/export';
import { log, readCsvFile, sourceFor } from './common';

interface Loaded {
  ckpt: LoadedCheckpoint;
  spec: LabelSpec;
  model: SequenceClassifier;
  maxLength: number;
}

async function loadFineTuned(modelArg: string, revision: string): Promise<Loaded> {
  await chooseBackend(NODE_BACKENDS);
  const ckpt = await loadCheckpoint(sourceFor(modelArg, revision));
  const { spec } = labelSpecFromConfig(ckpt.rawConfig, ckpt.source);
  if (ckpt.report.classifierLabels !== numLabels(spec)) {
    throw new TabTuneError(
      'checkpoint',
      `${ckpt.source} has no classifier weights for its ${numLabels(spec)} output(s); the export is incomplete.`,
    );
  }
  const model = new SequenceClassifier(ckpt.config, ckpt.weights, numLabels(spec));
  const declared = (ckpt.rawConfig as { max_length?: number }).max_length;
  const maxLength = Math.min(
    ckpt.tokenizerConfig.model_max_length ?? declared ?? 128,
    ckpt.config.max_position_embeddings,
  );
  return { ckpt, spec, model, maxLength };
}

function columnsFor(table: CsvTable, file: string, text: string, pair: string | null) {
  requireColumn(table, text, file);
  if (pair !== null) requireColumn(table, pair, file);
}

export interface PredictArgs {
  model: string;
  revision: string;
  data: string;
  textColumn: string;
  pairColumn: string | null;
  out: string;
  batchSize: number;
}

/** Writes the input columns plus `score` (and one probability column per class for classification). */
export async function runPredict(args: PredictArgs): Promise<void> {
  const table = readCsvFile(args.data);
  columnsFor(table, args.data, args.textColumn, args.pairColumn);
  requireWellFormed(table, args.data);
  const { ckpt, spec, model, maxLength } = await loadFineTuned(args.model, args.revision);
  const encoded = table.rows.map(({ values }) =>
    ckpt.tokenizer.encode(
      values[args.textColumn] ?? '',
      args.pairColumn === null ? null : (values[args.pairColumn] ?? ''),
      maxLength,
    ),
  );
  const predictions = await predictAll(model, spec, encoded, ckpt.tokenizer.padId, args.batchSize);
  const rows = table.rows.map(({ values }, i) => {
    const p = predictions[i] as Prediction;
    const extra: Record<string, string> = { score: String(p.score) };
    p.probabilities?.forEach((q, k) => (extra[`p_rating_${spec.classes[k]}`] = String(q)));
    return { ...values, ...extra };
  });
  const fields = [
    ...table.columns,
    'score',
    ...(spec.task === 'classification' ? spec.classes.map((c) => `p_rating_${c}`) : []),
  ];
  writeFileSync(
    args.out,
    `${Papa.unparse({ fields, data: rows.map((r) => fields.map((f) => r[f] ?? '')) })}\n`,
  );
  model.dispose();
  log(
    `wrote ${rows.length} predictions to ${args.out} (score = ${spec.task === 'binary' ? `P(rating ≥ ${spec.threshold})` : 'predicted rating'})`,
  );
}

export interface EvalArgs {
  model: string;
  revision: string;
  data: string;
  textColumn: string;
  pairColumn: string | null;
  labelColumn: string;
  batchSize: number;
}

/** Prints the metrics of a fine-tuned model on a labelled CSV as JSON (stdout). */
export async function runEval(args: EvalArgs): Promise<void> {
  const table = readCsvFile(args.data);
  columnsFor(table, args.data, args.textColumn, args.pairColumn);
  requireColumn(table, args.labelColumn, args.data);
  const ds = buildDataset(
    table,
    { text: args.textColumn, pair: args.pairColumn, label: args.labelColumn },
    args.data,
  );
  if (ds.badRows.length > 0)
    log(
      `${args.data}: ${summarizeBadRows(ds.badRows)} (first: line ${ds.badRows[0]!.line}, ${ds.badRows[0]!.reason})`,
    );
  if (ds.examples.length === 0)
    throw new TabTuneError('data', `${args.data} has no usable rows to evaluate.`);
  const { ckpt, spec, model, maxLength } = await loadFineTuned(args.model, args.revision);
  const encoded = ds.examples.map((e) => ckpt.tokenizer.encode(e.text, e.pair, maxLength));
  const outputs = await modelOutputs(model, encoded, ckpt.tokenizer.padId, args.batchSize);
  const m = computeMetrics(
    spec,
    outputs,
    ds.examples.map((e) => e.rating),
  );
  model.dispose();
  process.stdout.write(
    `${JSON.stringify({ n: m.n, loss: m.loss, auc: m.auc, rmse: m.rmse, mae: m.mae, accuracy: m.accuracy, macro_f1: m.macroF1, unusable_rows: ds.badRows.length, task: spec.task, threshold: spec.threshold }, null, 2)}\n`,
  );
}
