import { closeSync, openSync, writeSync } from 'node:fs';
import { requireWellFormed } from '../core/data/csv';
import { hasVisibleText } from '../core/data/dataset';
import { integratedGradients } from '../core/explain/integratedGradients';
import { wordAttributions } from '../core/explain/words';
import { log, readCsvFile } from './common';
import { columnsFor, loadForScoring } from './predict';

export interface ExplainArgs {
  model: string;
  revision: string;
  data: string;
  textColumn: string;
  pairColumn: string | null;
  out: string;
  steps: number;
}

/**
 * One JSON line per row: its tokens, each token's integrated-gradients attribution (summed over the hidden size),
 * the score they explain and the baseline's, and the words (word pieces summed). Written as each row is explained.
 */
export async function runExplain(args: ExplainArgs): Promise<void> {
  const table = readCsvFile(args.data);
  columnsFor(table, args.data, args.textColumn, args.pairColumn);
  requireWellFormed(table, args.data);
  const { ckpt, spec, model, maxLength } = await loadForScoring(args.model, args.revision, args.pairColumn);
  const rows = table.rows.filter(({ values }) => hasVisibleText(values[args.textColumn] ?? ''));
  const skipped = table.rows.length - rows.length;
  if (skipped > 0)
    log(`warning: ${skipped} row(s) have no readable text in "${args.textColumn}" and are not explained.`);
  const explained =
    spec.task === 'regression'
      ? 'predicted rating'
      : spec.task === 'binary'
        ? `P(rating ≥ ${spec.threshold})`
        : 'probability of the predicted rating';
  log(`explaining ${rows.length} row(s): integrated gradients, ${args.steps} steps, of the ${explained}`);
  const out = openSync(args.out, 'w');
  try {
    for (const [i, { line, values }] of rows.entries()) {
      const pair = args.pairColumn === null ? null : (values[args.pairColumn] ?? '');
      const encoded = ckpt.tokenizer.encode(values[args.textColumn] ?? '', pair, maxLength);
      const a = await integratedGradients(
        model,
        spec,
        encoded,
        (id) => ckpt.tokenizer.idToToken(id) ?? `[${id}]`,
        ckpt.tokenizer.padId,
        args.steps,
      );
      const record = {
        line,
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
