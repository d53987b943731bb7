import { smooth } from '../core/train/progress';
import { lrAt } from '../core/train/schedule';
import type { EvalPoint, ProgressPoint } from '../core/train/trainer';

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

/** At most ~200 points of the schedule, always including the first and last step. */
export function lrSeries(
  peak: number,
  warmupRatio: number,
  totalSteps: number,
): Array<{ step: number; lr: number }> {
  if (totalSteps <= 0) return [];
  const warmup = Math.round(totalSteps * warmupRatio);
  const every = Math.max(1, Math.ceil(totalSteps / 200));
  const out: Array<{ step: number; lr: number }> = [];
  for (let s = 0; s < totalSteps; s += every) out.push({ step: s, lr: lrAt(s, peak, warmup, totalSteps) });
  out.push({ step: totalSteps, lr: lrAt(totalSteps, peak, warmup, totalSteps) });
  return out;
}

/** Optimizer steps a run will take: epochs × ⌈⌈n / batch⌉ / accumulation⌉. */
export function plannedSteps(
  trainRows: number,
  batchSize: number,
  accumulation: number,
  epochs: number,
): number {
  return epochs * Math.ceil(Math.ceil(trainRows / batchSize) / accumulation);
}

/** "Step 12 of 80 · 41.3 examples/s · 1m05s left" and the tab title. */
export function progressTitle(p: ProgressPoint | undefined, status: string): string {
  if (!p) return status === 'running' ? 'TabTune — starting…' : 'TabTune';
  return `${Math.floor((100 * p.step) / p.totalSteps)}% ${status === 'paused' ? '(paused) ' : ''}— TabTune`;
}
