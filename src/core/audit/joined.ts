import type { ModelComparison } from '../baseline/classical';
import type { Example } from '../data/dataset';
import type { LabelSpec } from '../data/labels';
import { auditFromOutputs, type AuditResult } from './audit';

/**
 * The fine-tuned model's voice in an audit: its predictions of the rows it never trained on (a run's held-out rows)
 * averaged with the classical model's cross-fitted ones, where it is the better model — two models that err
 * differently agree on a wrong label more surely than either alone. Ratings and binary labels; classes keep the
 * classical audit (their probabilities would have to be averaged, which a run does not keep).
 */

/** Whether a run's model joins the audit: it scored at least as well as the baseline on the same rows. */
export function modelJoinsAudit(spec: LabelSpec, comparison: ModelComparison | null): boolean {
  return spec.task !== 'classification' && comparison !== null && comparison.difference >= 0;
}

/**
 * The audit with the model's held-out scores (line → predicted rating, or P(positive) for binary) averaged into
 * the classical predictions of those rows, then scored and ranked again.
 */
export function joinModel(
  spec: LabelSpec,
  examples: readonly Example[],
  result: AuditResult,
  model: ReadonlyMap<number, number>,
): AuditResult {
  const byIndex = [...result.rows].sort((a, b) => a.index - b.index);
  let joined = 0;
  const outputs = byIndex.map((row) => {
    const m = model.get(row.line);
    if (m !== undefined) joined += 1;
    const score = m === undefined ? row.predicted : (row.predicted + m) / 2;
    return [rawOutput(spec, score)];
  });
  const words = byIndex.map((r) => r.words);
  return {
    ...result,
    ...auditFromOutputs(spec, examples, outputs, words),
    method: `${result.method}, averaged with the fine-tuned model's predictions on ${joined} held-out rows`,
  };
}

/** A score back to the head's raw output: the scaled rating, or the logit of P(positive). */
function rawOutput(spec: LabelSpec, score: number): number {
  if (spec.task === 'regression') return (score - spec.scale.min) / (spec.scale.max - spec.scale.min);
  const p = Math.min(Math.max(score, 1e-9), 1 - 1e-9);
  return Math.log(p / (1 - p));
}
