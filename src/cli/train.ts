import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseBackend, NODE_BACKENDS } from '../core/backend';
import { loadCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/load';
import { summarizeBadRows } from '../core/data/dataset';
import { numLabels } from '../core/data/labels';
import { SequenceClassifier } from '../core/model/classifier';
import { scratchCheckpoint } from '../core/model/scratch';
import { validateTrainConfig, type TrainConfig } from '../core/train/config';
import { exportFiles } from '../core/train/export';
import { dataRecord, prepareData } from '../core/train/prepare';
import { train, type EvalPoint } from '../core/train/trainer';
import { formatDuration } from '../core/train/progress';
import { formatMetric, log, readCsvFile, sourceFor } from './common';

export interface TrainArgs {
  model: string;
  revision: string;
  data: string;
  valData: string | null;
  textColumn: string;
  pairColumn: string | null;
  labelColumn: string;
  out: string;
  config: TrainConfig;
}

/** The JSON line appended to <out>/metrics.jsonl for each evaluation. */
export function metricsLine(e: EvalPoint): string {
  return JSON.stringify({
    step: e.step,
    epoch: Number(e.epoch.toFixed(4)),
    split: e.split,
    phase: e.phase,
    n: e.n,
    loss: e.loss,
    auc: e.auc,
    rmse: e.rmse,
    mae: e.mae,
    accuracy: e.accuracy,
    macro_f1: e.macroF1,
  });
}

export async function runTrain(args: TrainArgs): Promise<void> {
  const config = validateTrainConfig(args.config);
  const table = readCsvFile(args.data);
  const val =
    args.valData === null ? null : { table: readCsvFile(args.valData, '--val-data'), file: args.valData };
  const roles = { text: args.textColumn, pair: args.pairColumn, label: args.labelColumn };
  const data = prepareData(table, roles, args.data, config, val);
  log(
    `data: ${args.data}: ${data.dataset.examples.length} usable rows; ${summarizeBadRows(data.dataset.badRows)}`,
  );
  for (const b of data.dataset.badRows.slice(0, 10)) log(`  line ${b.line}: ${b.reason}`);
  if (data.dataset.badRows.length > 10) log(`  … and ${data.dataset.badRows.length - 10} more`);
  const s = data.spec;
  log(
    `task: ${s.task}, ratings ${s.scale.min}–${s.scale.max}, positive = rating ≥ ${s.threshold}; split ${data.train.length} train / ${data.validation.length} validation / ${data.test.length} test`,
  );

  const backend = await chooseBackend(NODE_BACKENDS);
  const base: LoadedCheckpoint =
    args.model === 'scratch'
      ? scratchCheckpoint(data.train.map((e) => `${e.text} ${e.pair ?? ''}`))
      : await loadCheckpoint(sourceFor(args.model, args.revision));
  const maxLength = Math.min(config.maxLength, base.config.max_position_embeddings);
  const runConfig = { ...config, maxLength };
  log(
    `model: ${base.source} (${base.config.num_hidden_layers} layers, hidden ${base.config.hidden_size}); backend: ${backend.name}`,
  );
  log(`settings: ${JSON.stringify(runConfig)}`);

  mkdirSync(args.out, { recursive: true });
  const metricsPath = join(args.out, 'metrics.jsonl');
  writeFileSync(metricsPath, '');
  const model = new SequenceClassifier(base.config, base.weights, numLabels(s), config.seed);
  let lastPrinted = -1;
  const result = await train({
    model,
    tokenizer: base.tokenizer,
    config: runConfig,
    spec: s,
    train: data.train,
    validation: data.validation,
    test: data.test,
    events: {
      log,
      progress: (p) => {
        const every = Math.max(1, Math.floor(p.totalSteps / 50));
        if (p.step % every !== 0 && p.step !== p.totalSteps) return;
        if (p.step === lastPrinted) return;
        lastPrinted = p.step;
        log(
          `step ${p.step}/${p.totalSteps}  epoch ${p.epoch.toFixed(2)}  loss ${p.loss.toFixed(4)}  lr ${p.learningRate.toExponential(1)}  ${p.examplesPerSecond.toFixed(1)} ex/s  ETA ${formatDuration(p.etaSeconds)}`,
        );
      },
      evaluation: (e) => {
        appendFileSync(metricsPath, `${metricsLine(e)}\n`);
        log(
          `eval ${e.phase} ${e.split} @ step ${e.step}: loss ${e.loss.toFixed(4)}  AUC ${formatMetric(e.auc)}  RMSE ${formatMetric(e.rmse)}  MAE ${formatMetric(e.mae)}${e.accuracy !== null ? `  accuracy ${formatMetric(e.accuracy)}` : ''}`,
        );
      },
    },
  });
  log(result.message);
  const files = await exportFiles(model, base.rawConfig, base.tokenizerFiles, base.tokenizerConfig, {
    baseModel: base.source,
    roles,
    trainConfig: runConfig,
    spec: s,
    data: dataRecord(data, args.data),
    result,
    backend: backend.name,
    createdAt: new Date().toISOString(),
  });
  for (const [name, bytes] of files) writeFileSync(join(args.out, name), bytes);
  model.dispose();
  log(`wrote the model to ${args.out} (${[...files.keys()].join(', ')})`);
  if (result.reason === 'nan') throw new Error(result.message);
}
