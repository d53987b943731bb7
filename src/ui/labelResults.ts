import { pairedLeader } from '../core/baseline/classical';
import type { PairedAuc } from '../core/metrics/interval';
import { splitSizes } from '../core/data/split';
import type { RunSummary } from '../shared/protocol';

/** One label's row of the Results table: the fine-tuned model's metrics on the held-out split, and the baseline's. */
export interface LabelResultRow {
  label: string;
  auc: number | null;
  interval: [number, number] | null;
  ap: number | null;
  f1: number;
  threshold: number;
  classicalAuc: number | null;
  /** The paired comparison in words: "fine-tuned ahead", "baseline ahead", "not distinguishable", or "". */
  verdict: string;
}

/** Which held-out split the per-label table shows: test, or validation when there is no test split. Pure. */
export function labelSplit(run: Pick<RunSummary, 'final'>): 'test' | 'validation' {
  return run.final.test?.per_label ? 'test' : 'validation';
}

function verdictOf(p: PairedAuc | null | undefined): string {
  return p ? pairedLeader(p) : '';
}

/** Multi-label: a row per label, in the model's order; empty for the other tasks. Pure. */
export function labelResultRows(
  run: Pick<RunSummary, 'spec' | 'final' | 'classical' | 'comparison'>,
): LabelResultRow[] {
  const split = labelSplit(run);
  const per = run.final[split]?.per_label;
  if (run.spec.task !== 'multi-label' || !per) return [];
  const classical = run.classical.fitted ? run.classical.result[split]?.per_label : undefined;
  return (run.spec.labels ?? []).map((label) => {
    const m = per[label]!;
    return {
      label,
      auc: m.auc,
      interval: m.auc_95_interval,
      ap: m.ap,
      f1: m.f1,
      threshold: m.threshold,
      classicalAuc: classical?.[label]?.auc ?? null,
      verdict: verdictOf(run.comparison?.perLabel?.[label]),
    };
  });
}

/** Multi-label: "P(dress) 0.912, P(liked) 0.401" — each label's probability, in the model's order. Pure. */
export function labelProbabilities(probabilities: readonly number[], labels: readonly string[]): string {
  return labels.map((l, k) => `P(${l}) ${(probabilities[k] ?? Number.NaN).toFixed(3)}`).join(', ');
}

/** The Results' first line: what was predicted, the split, and how the best weights were chosen. Pure. */
export function outcomeLine(run: Pick<RunSummary, 'message' | 'spec' | 'data' | 'selectionMetric'>): string {
  const s = run.spec;
  const what =
    s.task === 'multi-label'
      ? `${(s.labels ?? []).length} labels (${(s.labels ?? []).join(', ')}), each with its own AUC; the AUC is their mean (macro).`
      : `Positive = rating ≥ ${s.threshold} on a ${s.scale.min}–${s.scale.max} scale.`;
  const d = run.data;
  const metric = run.selectionMetric === 'auc' ? (s.task === 'multi-label' ? 'macro AUC' : 'AUC') : 'loss';
  return `${run.message} ${what} Data: ${splitSizes(d)}; ${d.badRows.length} unusable row(s). Best weights chosen by validation ${metric}.`;
}
