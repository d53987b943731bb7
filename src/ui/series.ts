import type { ClassicalOutcome } from '../core/baseline/classical';
import { smooth } from '../core/train/progress';
import type { ProgressPoint } from '../core/train/progress';
import type { EvalPoint } from '../core/train/trainer';

/** Chart rows, computed by pure functions (series.test.ts). */
export function lossSeries(
  progress: readonly ProgressPoint[],
): Array<{ step: number; loss: number; smoothed: number }> {
  const finite = progress.filter((p) => Number.isFinite(p.loss));
  const s = smooth(finite.map((p) => p.loss));
  return finite.map((p, i) => ({ step: p.step, loss: p.loss, smoothed: s[i] as number }));
}

export function validationSeries(
  evals: readonly EvalPoint[],
): Array<{ step: number; auc: number | null; loss: number }> {
  return evals
    .filter((e) => e.split === 'validation' && e.phase !== 'final')
    .map((e) => ({ step: e.step, auc: e.auc, loss: e.loss }));
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
