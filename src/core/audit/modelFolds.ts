import { EncodedRows } from '../tokenizer/encodedRows';
import type { Example } from '../data/dataset';
import { predictionOf, type LabelSpec } from '../data/labels';
import { TabTuneError } from '../errors';
import { pairedAucDifference, type PairedAuc } from '../metrics/interval';
import { modelOutputs } from '../train/evaluate';
import { effectiveMaxLength } from '../train/fineTuned';
import { runTraining, type RunRequest } from '../train/run';
import type { AuditResult } from './audit';
import { joinModel } from './joined';

/*
 * The fine-tuned model's audit: k runs, each fine-tuned on the other folds (its own validation share for early
 * stopping, no test split) and scoring its fold — every row predicted by a model that never trained on it, as the
 * classical audit's are. It joins the classical audit where it ranks the ratings at least as well (both are out of
 * sample on every row, so their AUCs compare on all of them, paired).
 */

export interface ModelFolds {
  /** Per example, the fine-tuned model's out-of-sample score: a rating, or P(positive) for binary. */
  scores: number[];
  seconds: number;
}

/** Fine-tunes one run per fold on the other folds and scores the fold. Ratings and binary labels. */
export async function crossFittedRuns(
  request: RunRequest,
  spec: LabelSpec,
  examples: readonly Example[],
  fold: Int32Array,
  folds: number,
  onFold?: (done: number, total: number) => void,
): Promise<ModelFolds> {
  if (spec.task === 'classification')
    throw new TabTuneError(
      'usage',
      "The fine-tuned model's audit scores ratings (regression) and binary labels; for classes the classical audit stands. Leave out --model, or use --task regression.",
    );
  const start = performance.now();
  const scores = new Array<number>(examples.length);
  const config = {
    ...request.config,
    testFraction: 0,
    classicalBaseline: false,
    labelChanges: null,
    rowLimit: null,
  };
  for (let f = 0; f < folds; f++) {
    const trainLines = new Set(examples.filter((_, i) => fold[i] !== f).map((e) => e.line));
    const held = examples.flatMap((_, i) => (fold[i] === f ? [i] : []));
    const table = {
      ...request.data.table,
      rows: request.data.table.rows.filter((r) => trainLines.has(r.line)),
    };
    const run = await runTraining({ ...request, data: { ...request.data, table }, validation: null, config });
    try {
      const maxLength = effectiveMaxLength(config.maxLength, run.checkpoint);
      const encoded = EncodedRows.encode(
        run.checkpoint.tokenizer,
        held.map((i) => examples[i]!),
        maxLength,
      );
      const outputs = await modelOutputs(run.model, encoded, run.checkpoint.tokenizer.padId, 64);
      held.forEach((i, r) => (scores[i] = predictionOf(run.data.spec, outputs[r]!).score));
    } finally {
      run.model.dispose();
    }
    onFold?.(f + 1, folds);
  }
  return { scores, seconds: (performance.now() - start) / 1000 };
}

/**
 * The classical audit joined by the fine-tuned model's out-of-sample scores where the model ranks at least as well
 * (AUC on every row, paired); otherwise the classical audit as it is. Either way the comparison is said.
 */
export function withModelFolds(
  spec: LabelSpec,
  examples: readonly Example[],
  classical: AuditResult,
  model: ModelFolds,
): { result: AuditResult; comparison: PairedAuc | null; note: string } {
  const byIndex = [...classical.rows].sort((a, b) => a.index - b.index);
  const comparison = pairedAucDifference(
    examples.map((e) => e.rating >= spec.threshold),
    model.scores,
    byIndex.map((r) => r.predicted),
  );
  const f = (x: number) => x.toFixed(3);
  const said = comparison
    ? `The fine-tuned model's out-of-sample AUC ${f(comparison.a)} against the classical model's ${f(comparison.b)} (difference 95 % interval ${f(comparison.low)} to ${f(comparison.high)}, on all ${comparison.n} rows)`
    : "The fine-tuned model's AUC is undefined on these rows";
  if (!comparison || comparison.difference < 0)
    return { result: classical, comparison, note: `${said}: the classical audit stands.` };
  const joined = joinModel(
    spec,
    examples,
    classical,
    new Map(examples.map((e, i) => [e.line, model.scores[i]!])),
  );
  return {
    result: { ...joined, seconds: classical.seconds + model.seconds },
    comparison,
    note: `${said}: both models' predictions are averaged.`,
  };
}
