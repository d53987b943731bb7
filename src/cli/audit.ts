import { writeFileSync } from 'node:fs';
import { auditRowLimit, classicalAudit, foldsFor, type AuditResult } from '../core/audit/audit';
import { crossFittedRuns, withModelFolds } from '../core/audit/modelFolds';
import { describeAudit, AUDIT_COLUMNS, auditValues } from '../core/audit/report';
import { requireColumn, type CsvTable } from '../core/data/csv';
import { freeColumnNames, writeCsv } from '../core/data/csvWrite';
import { buildDataset, summarizeBadRows } from '../core/data/dataset';
import { makeLabelSpec } from '../core/data/labels';
import { describeRowLimit, limitRows } from '../core/data/rowLimit';
import { startBackend } from './backend';
import { log, readCsvFile } from './common';
import { runRequestFor, type RunArgs } from './train';

export interface AuditArgs extends RunArgs {
  folds: number;
  out: string;
  /** A base model to fine-tune once per fold (its audit joins the classical one where it ranks better); null: none. */
  model: string | null;
}

/**
 * `cli audit`: every usable row of the file predicted out of sample by the classical model (k folds) — and, with
 * --model, by that model fine-tuned once per fold — written to --out most suspicious first with the input's own
 * columns, `line`, `given`, `predicted`, `suggested`, `suspicion` (0–1) and `words`. `train --exclude/--relabel
 * <out> --above S` takes it back.
 */
export async function runAudit(args: AuditArgs): Promise<void> {
  const request = args.model === null ? null : await runRequestFor({ ...args, model: args.model });
  if (request === null) await startBackend();
  const full = request?.data.table ?? readCsvFile(args.data);
  const { limit, note } = auditRowLimit(full.rows.length, args.config.rowLimit);
  if (note) log(`audit: ${note}`);
  const table = limitRows(full, limit, args.config.seed);
  const roles = {
    text: args.textColumn,
    pair: args.pairColumn,
    label: args.labelColumn,
    group: args.groupColumn,
  };
  for (const c of [roles.text, roles.pair, roles.label, roles.group])
    if (c) requireColumn(table, c, args.data);
  const dataset = buildDataset(table, roles, args.data);
  const used = describeRowLimit(table, limit);
  if (used) log(`audit: ${args.data}: ${used}`);
  log(`audit: ${args.data}: ${dataset.examples.length} usable rows; ${summarizeBadRows(dataset.badRows)}`);
  const c = args.config;
  const spec = makeLabelSpec(
    c.task,
    dataset.examples.map((e) => e.rating),
    { ...(c.scale ? { scale: c.scale } : {}), ...(c.threshold !== null ? { threshold: c.threshold } : {}) },
  );
  let result = await classicalAudit(spec, dataset.examples, {
    folds: args.folds,
    seed: c.seed,
    onFold: (done, total) => log(`audit: fold ${done} of ${total} predicted`),
  });
  let said: string | null = null;
  if (request) {
    const fold = foldsFor(dataset.examples, args.folds, c.seed);
    const runs = await crossFittedRuns(
      { ...request, data: { table, file: args.data } },
      spec,
      dataset.examples,
      fold,
      args.folds,
      (done, total) =>
        log(`audit: ${args.model} fine-tuned on the other folds and scored fold ${done} of ${total}`),
    );
    ({ result, note: said } = withModelFolds(spec, dataset.examples, result, runs));
  }
  writeFileSync(args.out, flaggedCsv(table, result));
  if (said) log(said);
  log(describeAudit(result, spec));
  log(`wrote ${result.rows.length} rows to ${args.out}, most suspicious first`);
}

/** The input's columns and the audit's (renamed "tabtune_…" where the input has a column of that name). */
export function flaggedCsv(table: CsvTable, result: AuditResult): string {
  const added = freeColumnNames(table.columns, AUDIT_COLUMNS);
  const values = new Map(table.rows.map((r) => [r.line, r.values]));
  const data = result.rows.map((row) => {
    const input = values.get(row.line) ?? {};
    return [...table.columns.map((c) => input[c] ?? ''), ...auditValues(row)];
  });
  return writeCsv({ fields: [...table.columns, ...added], data });
}
