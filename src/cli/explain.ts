import { closeSync, openSync, writeSync } from 'node:fs';
import { explainedScore } from '../core/explain/explanation';
import { integratedGradients } from '../core/explain/integratedGradients';
import { wordAttributions } from '../core/explain/words';
import { log } from './common';
import { openForScoring, type ScoringInputs } from './predict';

export interface ExplainArgs extends ScoringInputs {
  /** Integrated gradients' steps. */
  steps: number;
}

/**
 * One JSON line per row: its tokens, each token's integrated-gradients attribution (summed over the hidden size),
 * the score they explain and the baseline's, and the words (word pieces summed). Written as each row is explained.
 */
export async function runExplain(args: ExplainArgs): Promise<void> {
  const { ckpt, spec, model, scorable: rows, unreadable, encode } = await openForScoring(args);
  if (unreadable.length > 0)
    log(
      `warning: ${unreadable.length} row(s) have no readable text in "${args.textColumn}" and are not explained.`,
    );
  log(
    `explaining ${rows.length} row(s): integrated gradients, ${args.steps} steps, of the ${explainedScore(spec, null)}`,
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
      );
      const record = {
        line: row.line,
        tokens: a.tokens,
        attributions: a.attributions,
        score: a.score,
        baseline_score: a.baselineScore,
        ...(a.explainedClass === null ? {} : { explained_rating: a.explainedClass }),
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
