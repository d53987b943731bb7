import { classicalOutputs, fitClassicalModel, type ClassicalModel } from '../baseline/classical';
import { exampleText, groupsOf, type Example } from '../data/dataset';
import { predictionOf, type LabelSpec } from '../data/labels';
import type { RowLimit } from '../data/rowLimit';
import { TabTuneError } from '../errors';
import { auditFolds, auditUnits } from './folds';
import { classScores, ratingScores, type LabelScores } from './score';
import { drivingTerms } from './terms';

/**
 * The label audit: every labelled row predicted out of sample by k-fold cross-fitting (a model fitted on the other
 * folds), its given label scored against that prediction (`score.ts`), the rows ranked most suspicious first, each
 * with a suggested label and the words that drove its prediction. The classical model (TF-IDF + a linear model)
 * fits in seconds; a fine-tuned model's held-out predictions join it through `auditFromPredictions`.
 */

export const DEFAULT_FOLDS = 5;
/** Rows each fold must hold at least, so that every fold's model is fitted on enough rows to mean something. */
export const MIN_ROWS_PER_FOLD = 10;

/** The most rows one audit reads unless a row limit says otherwise: its TF-IDF stays within a few hundred MB. */
export const AUDIT_MAX_ROWS = 200_000;

/**
 * The row limit an audit uses, and what to tell the user of it: the run's own limit, or a random AUDIT_MAX_ROWS
 * (the same for the same seed) when the file has more rows and no limit is set.
 */
export function auditRowLimit(
  rows: number,
  limit: RowLimit | null,
): { limit: RowLimit | null; note: string | null } {
  if (limit !== null || rows <= AUDIT_MAX_ROWS) return { limit, note: null };
  const n = (x: number) => x.toLocaleString('en-US');
  return {
    limit: { rows: AUDIT_MAX_ROWS, pick: 'random' },
    note: `The file's ${n(rows)} rows are more than one audit reads: it audited a random ${n(AUDIT_MAX_ROWS)} of them (the same for the same seed; a row limit sets another number).`,
  };
}

export interface AuditRow {
  /** Index into the audited examples. */
  index: number;
  line: number;
  given: number;
  /** The out-of-sample prediction: a rating (regression), P(positive) (binary), or the likeliest class's rating. */
  predicted: number;
  suggested: number;
  /** 0–1: how likely the given label is wrong. */
  suspicion: number;
  /** The terms that pushed the prediction away from the given label, strongest first. */
  words: string[];
}

export interface AuditResult {
  /** What predicted the labels, in words. */
  method: string;
  folds: number;
  /** Every audited row, most suspicious first. */
  rows: AuditRow[];
  /** How many labels are likely wrong (`score.ts`). */
  estimatedWrong: number;
  seconds: number;
}

export interface AuditOptions {
  folds: number;
  seed: number;
  signal?: AbortSignal;
  /** Called after each fold: folds done, folds in all. */
  onFold?: (done: number, total: number) => void;
}

/** Out-of-sample predictions of every row by the classical model, then scored and ranked. */
export async function classicalAudit(
  spec: LabelSpec,
  examples: readonly Example[],
  options: AuditOptions,
): Promise<AuditResult> {
  const start = performance.now();
  const fold = foldsFor(examples, options.folds, options.seed);
  const outputs: number[][] = new Array(examples.length);
  const words: string[][] = new Array(examples.length);
  let model: ClassicalModel | null = null;
  for (let f = 0; f < options.folds; f++) {
    if (options.signal?.aborted)
      throw new TabTuneError('usage', 'The label audit was stopped before its end; nothing was changed.');
    const held = examples.flatMap((_, i) => (fold[i] === f ? [i] : []));
    model = fitClassicalModel(
      spec,
      examples.filter((_, i) => fold[i] !== f),
    );
    const out = classicalOutputs(
      model,
      held.map((i) => examples[i]!),
    );
    held.forEach((i, r) => {
      outputs[i] = out[r]!;
      words[i] = drivingTerms(
        model!,
        exampleText(examples[i]!),
        towardsOf(spec, examples[i]!.rating, out[r]!),
      );
    });
    options.onFold?.(f + 1, options.folds);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let a Worker read its messages (a stop) between folds
  }
  const method = `${model!.description}, ${options.folds}-fold cross-fitted`;
  return {
    ...auditFromOutputs(spec, examples, outputs, words),
    method,
    folds: options.folds,
    seconds: (performance.now() - start) / 1000,
  };
}

/** Scores and ranks rows from out-of-sample raw outputs (as the BERT head gives them) of any model. */
export function auditFromOutputs(
  spec: LabelSpec,
  examples: readonly Example[],
  outputs: readonly (readonly number[])[],
  words: readonly string[][] | null = null,
): Pick<AuditResult, 'rows' | 'estimatedWrong'> {
  const predictions = outputs.map((o) => predictionOf(spec, o));
  const observed = [...new Set(examples.map((e) => e.rating))].sort((a, b) => a - b);
  let scores: LabelScores;
  let suggested: number[];
  if (spec.task === 'regression') {
    const predicted = predictions.map((p) => p.score);
    scores = ratingScores(
      examples.map((e) => e.rating),
      predicted,
      spec.scale,
    );
    suggested = predicted.map((p) => nearest(observed, p));
  } else {
    const probabilities = predictions.map((p) => p.probabilities ?? [1 - p.score, p.score]);
    const classes = spec.task === 'classification' ? spec.classes : binaryRatings(observed, spec.threshold);
    const given = examples.map((e) =>
      spec.task === 'classification' ? spec.classes.indexOf(e.rating) : e.rating >= spec.threshold ? 1 : 0,
    );
    const values = spec.task === 'classification' ? spec.classes : [0, 1];
    const gap = spec.task === 'classification' ? (spec.scale.max - spec.scale.min) / 2 : 1;
    scores = classScores(given, probabilities, values, gap);
    suggested = probabilities.map((p, i) => {
      const best = p.indexOf(Math.max(...p));
      return best === given[i] ? examples[i]!.rating : classes[best]!;
    });
  }
  const rows = examples.map((e, i) => ({
    index: i,
    line: e.line,
    given: e.rating,
    predicted: predictions[i]!.score,
    suggested: suggested[i]!,
    suspicion: scores.suspicion[i]!,
    words: words?.[i] ?? [],
  }));
  rows.sort((a, b) => b.suspicion - a.suspicion || a.line - b.line);
  return { rows, estimatedWrong: scores.estimatedWrong };
}

/** The rating a binary label stands for when suggested: the commonest observed rating on that side of the threshold. */
function binaryRatings(observed: readonly number[], threshold: number): [number, number] {
  const below = observed.filter((r) => r < threshold);
  const above = observed.filter((r) => r >= threshold);
  return [below.at(-1) ?? observed[0]!, above[0] ?? observed.at(-1)!];
}

function nearest(values: readonly number[], x: number): number {
  let best = values[0]!;
  for (const v of values) if (Math.abs(v - x) < Math.abs(best - x)) best = v;
  return best;
}

/** +1 when the prediction lies above the given label (the words that pushed it up matter), −1 below. */
function towardsOf(
  spec: LabelSpec,
  rating: number,
  outputs: readonly number[],
): { output: number; sign: 1 | -1 } {
  const p = predictionOf(spec, outputs);
  if (spec.task === 'regression') return { output: 0, sign: p.score >= rating ? 1 : -1 };
  if (spec.task === 'binary') return { output: 0, sign: rating >= spec.threshold ? -1 : 1 };
  // Classification: the words that raise the likeliest class's output.
  const probs = p.probabilities!;
  return { output: probs.indexOf(Math.max(...probs)), sign: 1 };
}

/** Each example's fold (copies and a group's rows together), once the rows are checked to allow `folds` folds. */
export function foldsFor(examples: readonly Example[], folds: number, seed: number): Int32Array {
  requireFoldable(examples, folds);
  return auditFolds(examples.map(copyKey), groupsOf(examples), folds, seed);
}

/** Rows with one text (and pair) are copies; the audit keeps them in one fold. */
export const copyKey = (e: Example) => `${e.text}\u0000${e.pair ?? ''}`;

function requireFoldable(examples: readonly Example[], folds: number): void {
  if (!Number.isInteger(folds) || folds < 2)
    throw new TabTuneError('usage', `Folds must be a whole number of 2 or more (got ${folds}).`);
  const need = folds * MIN_ROWS_PER_FOLD;
  if (examples.length < need)
    throw new TabTuneError(
      'data',
      `An audit in ${folds} folds needs at least ${need} labelled rows (${MIN_ROWS_PER_FOLD} per fold); there are ${examples.length}. Use fewer folds or add rows.`,
    );
  const units = auditUnits(examples.map(copyKey), groupsOf(examples));
  if (units < folds)
    throw new TabTuneError(
      'data',
      `The ${examples.length} rows form ${units} groups of copies or group ids, fewer than the ${folds} folds: each group stays in one fold. Use fewer folds.`,
    );
}
