import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { startBackend } from './backend';
import { applyRecipe, recipeFor, type RecipeField } from '../core/train/recipe';
import { loadCheckpoint } from '../core/checkpoint/load';
import { TabTuneError } from '../core/errors';
import type { TrainConfig } from '../core/train/config';
import { exportFiles } from '../core/train/export';
import { formatDuration, type ProgressPoint } from '../core/train/progress';
import {
  runTraining,
  type BaseModel,
  type FinishedRun,
  type RunEvents,
  type RunRequest,
} from '../core/train/run';
import { classicalComparison } from '../core/baseline/classical';
import { formatAuc } from '../core/metrics/interval';
import { decodeRunState, encodeRunState, type RunState } from '../core/train/runState';
import type { EvalPoint } from '../core/train/evaluate';
import { formatMetric, log, readCsvFile, sourceFor } from './common';

export interface TrainArgs extends RunArgs {
  model: string;
  out: string;
}

/** What `train` and `baseline` both read: the data, its columns and the run's settings. */
export interface RunArgs {
  revision: string;
  data: string;
  valData: string | null;
  textColumn: string;
  pairColumn: string | null;
  labelColumn: string;
  /** Multi-label: several 0/1 columns (labelColumn is the first). */
  labelColumns: string[] | null;
  /** Multi-label: labelColumn holds tags split on this. */
  labelSeparator: string | null;
  /** A user or item id column: per-group ranking metrics, and with config.groupSplit, one split per group. */
  groupColumn: string | null;
  /** A column the held-out metrics are broken down by (metrics.json's "slices", the model card). */
  sliceColumn: string | null;
  config: TrainConfig;
  /** The settings given on the command line; the model's recipe fills the others (train/recipe.ts). */
  setByUser: ReadonlySet<RecipeField>;
}

/** The log's line for one evaluation; multi-label: the macro AUC, each label's AUC, the micro AUC and the macro F1. */
export function evalLine(e: EvalPoint): string {
  const head = `eval ${e.phase} ${e.split} @ step ${e.step}: loss ${e.loss.toFixed(4)}`;
  if (e.per_label) {
    const labels = Object.entries(e.per_label)
      .map(([name, m]) => `${name} ${formatMetric(m.auc)}`)
      .join(', ');
    return `${head}  macro AUC ${formatMetric(e.auc)} (${labels})  micro AUC ${formatMetric(e.micro_auc ?? null)}  macro F1 ${formatMetric(e.macroF1)}`;
  }
  return `${head}  AUC ${formatAuc(e)}  RMSE ${formatMetric(e.rmse)}  MAE ${formatMetric(e.mae)}${e.accuracy !== null ? `  accuracy ${formatMetric(e.accuracy)}` : ''}${e.ranking ? `  NDCG@10 ${formatMetric(e.ranking.ndcg10)}  MAP ${formatMetric(e.ranking.map)}  group AUC ${formatMetric(e.ranking.groupAuc)} (${e.ranking.groups} groups)` : ''}`;
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
    auc_95_interval: e.aucCi ? [e.aucCi.low, e.aucCi.high] : null,
    rmse: e.rmse,
    mae: e.mae,
    accuracy: e.accuracy,
    macro_f1: e.macroF1,
    ...(e.per_label ? { per_label: e.per_label, macro_auc: e.macro_auc, micro_auc: e.micro_auc } : {}),
    ...(e.ranking
      ? {
          groups: e.ranking.groups,
          ndcg_5: e.ranking.ndcg5,
          ndcg_10: e.ranking.ndcg10,
          map: e.ranking.map,
          group_auc: e.ranking.groupAuc,
        }
      : {}),
  });
}

/** The files and column roles the command line names, read (the part of a run `baseline` needs too). */
export function runData(args: RunArgs): Pick<RunRequest, 'data' | 'validation' | 'roles'> {
  return {
    data: { table: readCsvFile(args.data), file: args.data },
    validation:
      args.valData === null ? null : { table: readCsvFile(args.valData, '--val-data'), file: args.valData },
    roles: {
      text: args.textColumn,
      pair: args.pairColumn,
      label: args.labelColumn,
      labelColumns: args.labelColumns,
      labelSeparator: args.labelSeparator,
      group: args.groupColumn,
      slice: args.sliceColumn,
    },
  };
}

/** The run the command line asks for: its data, base model (loaded now), recipe-filled settings and backend. */
export async function runRequestFor(args: RunArgs & { model: string }): Promise<RunRequest> {
  const { data, validation, roles } = runData(args);
  const backend = await startBackend();
  const base: BaseModel =
    args.model === 'scratch'
      ? { kind: 'scratch' }
      : { kind: 'checkpoint', checkpoint: await loadCheckpoint(sourceFor(args.model, args.revision)) };
  const recipe = recipeFor(
    base.kind === 'scratch'
      ? { kind: 'scratch' }
      : { kind: 'checkpoint', hiddenSize: base.checkpoint.config.hidden_size },
  );
  const config = applyRecipe(args.config, recipe, args.setByUser);
  if (args.setByUser.size < 2) log(`${recipe.reason} (--lr and --epochs choose otherwise)`);
  return {
    data,
    validation,
    roles,
    config,
    base,
    backend: backend.label,
    backendDecision: backend.decision,
  };
}

/** Where `train --out OUT` keeps the run's saved state while it runs ("checkpoint" before 2026-12-02). */
const STATE_DIR = 'run-state';
const LEGACY_STATE_DIR = 'checkpoint';
export const STATE_FILE = join(STATE_DIR, 'run-state.safetensors');
/** Seconds between time-based saves of the state (there is one after every evaluation as well). */
const SAVE_STATE_EVERY = 300;

export async function runTrain(args: TrainArgs, resume: RunState | null = null): Promise<void> {
  const request = await runRequestFor(args);
  mkdirSync(join(args.out, STATE_DIR), { recursive: true });
  const metricsPath = join(args.out, 'metrics.jsonl');
  writeFileSync(metricsPath, '');
  const statePath = join(args.out, STATE_FILE);
  const run = await runTraining({
    ...request,
    resume,
    saveStateEvery: SAVE_STATE_EVERY,
    caller: { ...args, setByUser: [...args.setByUser] },
    events: {
      ...printedEvents(metricsPath, resume?.train.history ?? []),
      saveState: (state) => writeAtomically(statePath, encodeRunState(state)),
    },
  });
  await writeExport(run, args.out);
  // The run is over: nothing to resume (a run saved by an older TabTune kept its state under "checkpoint").
  for (const dir of [STATE_DIR, LEGACY_STATE_DIR])
    rmSync(join(args.out, dir), { recursive: true, force: true });
  if (run.record.result.reason === 'nan') throw new TabTuneError('training', run.record.result.message);
}

/** A finished run's outcome on stderr and its export in `out` (the model is disposed). */
export async function writeExport(run: FinishedRun, out: string): Promise<void> {
  const { record, checkpoint } = run;
  log(record.result.message);
  const verdict = record.classical
    ? classicalComparison(record.result.final, record.classical, record.comparison ?? null)
    : null;
  if (verdict) log(verdict);
  const files = await exportFiles(
    run.model,
    checkpoint.rawConfig,
    checkpoint.tokenizerFiles,
    checkpoint.tokenizerConfig,
    record,
  );
  for (const [name, bytes] of files) {
    mkdirSync(dirname(join(out, name)), { recursive: true }); // the LoRA adapter sits in adapter/
    writeFileSync(join(out, name), bytes);
  }
  run.model.dispose();
  log(`wrote the model to ${out} (${[...files.keys()].join(', ')})`);
}

/** `train --resume OUT`: the run saved under OUT, with its own arguments, from its last saved state. */
export async function runResume(out: string): Promise<void> {
  const legacy = join(out, LEGACY_STATE_DIR, 'run-state.safetensors');
  const path = existsSync(join(out, STATE_FILE)) || !existsSync(legacy) ? join(out, STATE_FILE) : legacy;
  if (!existsSync(path)) {
    throw new TabTuneError(
      'usage',
      `${out} holds no saved run (${STATE_FILE}). A run saves it there while it trains and removes it when it ends; start a new run with train --out ${out}.`,
    );
  }
  const state = decodeRunState(readFileSync(path), path);
  const caller = state.caller as unknown as TrainArgs & { setByUser: RecipeField[] };
  log(
    `Resuming the run in ${out} from step ${state.train.step} of ${state.totalSteps} (saved ${state.savedAt}).`,
  );
  await runTrain({ ...caller, out, setByUser: new Set(caller.setByUser) }, state);
}

/** Writes a temporary file, flushes it to disk, then renames it over `path`: a crash leaves the old file or the new. */
export function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Progress on stderr (about 50 lines a run), every evaluation on stderr and in metrics.jsonl. A resumed run's
 * file starts again from its saved state: the baseline's line, then the evaluations `saved` holds.
 */
export function printedEvents(metricsPath: string, saved: readonly EvalPoint[]): RunEvents {
  let lastPrinted = -1;
  return {
    log,
    progress: (p: ProgressPoint) => {
      const every = Math.max(1, Math.floor(p.totalSteps / 50));
      if ((p.step % every !== 0 && p.step !== p.totalSteps) || p.step === lastPrinted) return;
      lastPrinted = p.step;
      log(
        `step ${p.step}/${p.totalSteps}  epoch ${p.epoch.toFixed(2)}  loss ${p.loss.toFixed(4)}  lr ${p.learningRate.toExponential(1)}  ${p.examplesPerSecond.toFixed(1)} ex/s  ETA ${formatDuration(p.etaSeconds)}`,
      );
    },
    classical: (outcome) =>
      appendFileSync(
        metricsPath,
        [JSON.stringify({ classical_baseline: outcome }), ...saved.map(metricsLine)]
          .map((l) => `${l}\n`)
          .join(''),
      ),
    evaluation: (e) => {
      appendFileSync(metricsPath, `${metricsLine(e)}\n`);
      log(evalLine(e));
    },
  };
}
