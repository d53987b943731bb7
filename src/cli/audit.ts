import { writeFileSync } from 'node:fs';
import { auditRowLimit, classicalAudit, type AuditResult } from '../core/audit/audit';
import { describeAudit, AUDIT_COLUMNS, auditValues } from '../core/audit/report';
import { freeColumnNames, writeCsv, type CsvTable } from '../core/data/csv';
import { buildDataset, summarizeBadRows } from '../core/data/dataset';
import { makeLabelSpec } from '../core/data/labels';
import { describeRowLimit, limitRows } from '../core/data/rowLimit';
import { TabTuneError } from '../core/errors';
import { startBackend } from './backend';
import { log, readCsvFile } from './common';
import type { RunArgs } from './train';

export interface AuditArgs extends RunArgs {
  folds: number;
  out: string;
}

/**
 * `cli audit`: every usable row of the file predicted out of sample by the classical model (k folds), written to
 * --out most suspicious first with the input's own columns, `line`, `given`, `predicted`, `suggested`,
 * `suspicion` (0–1) and `words`. `train --exclude/--relabel <out> --above S` takes it back.
 */
export async function runAudit(args: AuditArgs): Promise<void> {
  await startBackend();
  const full = readCsvFile(args.data);
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
    if (c && !table.columns.includes(c))
      throw new TabTuneError(
        'data',
        `${args.data} has no column "${c}" (columns: ${table.columns.join(', ')}).`,
      );
  const dataset = buildDataset(table, roles, args.data);
  const used = describeRowLimit(table, limit);
  if (used) log(`audit: ${args.data}: ${used}`);
  log(`audit: ${args.data}: ${dataset.examples.length} usable rows; ${summarizeBadRows(dataset.badRows)}`);
  const spec = makeLabelSpec(
    args.config.task,
    dataset.examples.map((e) => e.rating),
    {
      ...(args.config.scale ? { scale: args.config.scale } : {}),
      ...(args.config.threshold !== null ? { threshold: args.config.threshold } : {}),
    },
  );
  const result = await classicalAudit(spec, dataset.examples, {
    folds: args.folds,
    seed: args.config.seed,
    onFold: (done, total) => log(`audit: fold ${done} of ${total} predicted`),
  });
  writeFileSync(args.out, flaggedCsv(table, result));
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
