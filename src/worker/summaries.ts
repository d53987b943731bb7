import { missingAdapterReason } from '../core/train/adapter';
import type { LoadedCheckpoint } from '../core/checkpoint/load';
import type { FinishedRun, scoreHeldOut } from '../core/train/run';
import type { RunStateInfo } from '../core/train/runState';
import type { ModelSummary, RunSummary, SavedRunSummary } from '../shared/protocol';

/*
 * What the Worker sends the page about a model, a finished run and a saved one: plain data, made here only. Pure.
 */

/** A loaded model in numbers: its shape, parameter count, and what loading had to initialize or left unused. */
export function summarize(
  ckpt: LoadedCheckpoint,
  fineTuned: ModelSummary['fineTuned'],
): Omit<ModelSummary, 'downloadedBytes' | 'totalBytes'> {
  let parameters = 0;
  for (const w of ckpt.weights.values()) parameters += w.data.length;
  const c = ckpt.config;
  return {
    source: ckpt.source,
    weightsFile: ckpt.weightsFile,
    layers: c.num_hidden_layers,
    hidden: c.hidden_size,
    heads: c.num_attention_heads,
    intermediate: c.intermediate_size,
    hiddenAct: c.hidden_act,
    vocabSize: c.vocab_size,
    maxPositions: c.max_position_embeddings,
    parameters,
    initialized: ckpt.report.initialized,
    unexpected: ckpt.report.unexpected,
    fineTuned,
  };
}

/** The saved run that can be resumed, as the page offers it. */
export function summarizeSaved(state: RunStateInfo | null): SavedRunSummary | null {
  if (!state) return null;
  return {
    dataFile: state.dataFile,
    step: state.step,
    totalSteps: state.totalSteps,
    savedAt: state.savedAt,
    baseModel: state.baseModel,
    config: state.config,
    roles: state.roles,
  };
}

/** A finished run for the Results panel: its outcome, metrics, notes and the held-out rows with their scores. */
export function runSummary(
  run: FinishedRun,
  scored: Awaited<ReturnType<typeof scoreHeldOut>>,
  historyNotes: string[],
): RunSummary {
  const { data, record } = run;
  const r = record.result;
  return {
    reason: r.reason,
    message: r.message,
    steps: r.steps,
    bestStep: r.bestStep,
    selectionMetric: r.selectionMetric,
    notes: [...data.warnings, ...r.notes, ...historyNotes],
    exportNote: missingAdapterReason(record),
    search: record.search ?? null,
    spec: data.spec,
    roles: record.roles,
    baseline: r.baseline,
    final: r.final,
    classical: record.classical ?? { fitted: false, reason: 'not run' },
    comparison: record.comparison ?? null,
    slices: record.slices ?? null,
    data: {
      usable: data.dataset.examples.length,
      badRows: data.dataset.badRows,
      train: data.train.length,
      validation: data.validation.length,
      test: data.test.length,
      labelChanges: data.labelChanges,
    },
    scored: {
      split: scored.split,
      examples: scored.examples.map((e, i) => ({
        line: e.line,
        text: e.text,
        pair: e.pair,
        rating: e.rating,
        score: scored.predictions[i]!.score,
        rankScore: scored.predictions[i]!.rankScore,
      })),
    },
  };
}
