import { closeSync, openSync, writeSync } from 'node:fs';
import { explainedScore } from '../core/explain/explanation';
import { integratedGradients } from '../core/explain/integratedGradients';
import { wordAttributions } from '../core/explain/words';
import { log } from './common';
import type { LabelSpec } from '../core/data/labels';
import { TabTuneError } from '../core/errors';
import { openForScoring, type ScoringInputs } from './predict';

export interface ExplainArgs extends ScoringInputs {
  /** Integrated gradients' steps. */
  steps: number;
  /** Multi-label: the label to explain (null: each row's most likely label). */
  label: string | null;
}

/** The index of the label `explain --label` names, checked against the model's labels. */
export function labelIndex(spec: LabelSpec, label: string | null, model: string): number | null {
  if (label === null) return null;
  if (spec.task !== 'multi-label')
    throw new TabTuneError(
      'usage',
      `--label picks one label of a multi-label model; ${model} predicts a rating (${spec.task}). Leave --label out.`,
    );
  const k = (spec.labels ?? []).indexOf(label);
  if (k < 0)
    throw new TabTuneError(
      'usage',
      `${model} has no label "${label}"; its labels are ${(spec.labels ?? []).map((l) => `"${l}"`).join(', ')}.`,
    );
  return k;
}

/**
 * One JSON line per row: its tokens, each token's integrated-gradients attribution (summed over the hidden size),
 * the score they explain and the baseline's, and the words (word pieces summed). Written as each row is explained.
 */
export async function runExplain(args: ExplainArgs): Promise<void> {
  const { ckpt, spec, model, scorable: rows, unreadable, encode } = await openForScoring(args);
  let label: number | null;
  try {
    label = labelIndex(spec, args.label, args.model);
  } catch (e) {
    model.dispose();
    throw e;
  }
  if (unreadable.length > 0)
    log(
      `warning: ${unreadable.length} row(s) have no readable text in "${args.textColumn}" and are not explained.`,
    );
  log(
    `explaining ${rows.length} row(s): integrated gradients, ${args.steps} steps, of the ${explainedScore(spec, null, args.label)}`,
  );
  const out = openSync(args.out, 'w');
  try {
    for (const [i, row] of rows.entries()) {
      const a = await integratedGradients(
        model,
        spec,
        encode(row),
        (id) => ckpt.tokenizer.idToToken(id) ?? `[${id}]`,
        ckpt.tokenizer.padId,
        args.steps,
        label,
      );
      const record = {
        line: row.line,
        tokens: a.tokens,
        attributions: a.attributions,
        score: a.score,
        baseline_score: a.baselineScore,
        ...(a.explainedClass === null ? {} : { explained_rating: a.explainedClass }),
        ...(a.explainedLabel === null ? {} : { explained_label: a.explainedLabel }),
        words: wordAttributions(a.tokens, a.attributions),
      };
      writeSync(out, `${JSON.stringify(record)}\n`);
      if ((i + 1) % 50 === 0) log(`  ${i + 1} of ${rows.length}`);
    }
  } finally {
    closeSync(out);
    model.dispose();
  }
  log(`wrote ${rows.length} explanations to ${args.out}`);
}
