import type { ClassicalOutcome } from '../core/baseline/classical';
import { smooth } from '../core/train/progress';
import type { ProgressPoint } from '../core/train/progress';
import type { EvalPoint } from '../core/train/evaluate';

/** At most this many points per chart line: a long run's chart stays as smooth to draw as a short one's. */
export const MAX_CHART_POINTS = 600;

/**
 * Chart rows, computed by pure functions (series.test.ts). The loss line: every step's loss and its moving
 * average, taken over all steps; past MAX_CHART_POINTS steps, consecutive steps are pooled (the mean loss of each
 * group, at its last step, with the moving average there), so the line keeps its shape with bounded points.
 */
export function lossSeries(
  progress: readonly ProgressPoint[],
  maxPoints = MAX_CHART_POINTS,
): Array<{ step: number; loss: number; smoothed: number }> {
  const finite = progress.filter((p) => Number.isFinite(p.loss));
  const s = smooth(finite.map((p) => p.loss));
  const rows = finite.map((p, i) => ({ step: p.step, loss: p.loss, smoothed: s[i] as number }));
  if (rows.length <= maxPoints) return rows;
  const size = Math.ceil(rows.length / maxPoints);
  const out: typeof rows = [];
  for (let start = 0; start < rows.length; start += size) {
    const group = rows.slice(start, start + size);
    const last = group.at(-1)!;
    out.push({
      step: last.step,
      loss: group.reduce((a, r) => a + r.loss, 0) / group.length,
      smoothed: last.smoothed,
    });
  }
  return out;
}

/** Validation's points: the AUC (multi-label: the macro AUC, and each label's in `labels`) and the loss. Pure. */
export function validationSeries(
  evals: readonly EvalPoint[],
): Array<{ step: number; auc: number | null; loss: number; labels?: Record<string, number | null> }> {
  return evals
    .filter((e) => e.split === 'validation' && e.phase !== 'final')
    .map((e) => ({
      step: e.step,
      auc: e.auc,
      loss: e.loss,
      ...(e.per_label
        ? { labels: Object.fromEntries(Object.entries(e.per_label).map(([n, m]) => [n, m.auc])) }
        : {}),
    }));
}

/** Multi-label: the labels the evaluations score, in their order (none for a rating). Pure. */
export function seriesLabels(evals: readonly EvalPoint[]): string[] {
  const first = evals.find((e) => e.per_label);
  return first?.per_label ? Object.keys(first.per_label) : [];
}

/** The tab title while training: "25% — TabTune", "25% (paused) — TabTune", or "TabTune — starting…". */
export function progressTitle(p: ProgressPoint | undefined, status: string): string {
  if (!p) return status === 'running' ? 'TabTune — starting…' : 'TabTune';
  return `${Math.floor((100 * p.step) / p.totalSteps)}% ${status === 'paused' ? '(paused) ' : ''}— TabTune`;
}

/** The classical baseline's validation AUC as a reference line on the validation chart, or null. */
export function classicalReference(outcome: ClassicalOutcome | null): { auc: number; label: string } | null {
  const auc = outcome?.fitted ? outcome.result.validation.auc : null;
  return auc == null ? null : { auc, label: `TF-IDF baseline ${auc.toFixed(3)}` };
}
