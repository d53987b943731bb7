import { auditRowLimit, classicalAudit } from '../core/audit/audit';
import { joinModel } from '../core/audit/joined';
import { auditReport, type AuditReport } from '../core/audit/report';
import { buildDataset } from '../core/data/dataset';
import { makeLabelSpec } from '../core/data/labels';
import type { Params, WorkerEvent } from '../shared/protocol';
import type { TableReader } from './tableReader';

/**
 * The studio's label audit: the rows a run with these settings would use (at most AUDIT_MAX_ROWS without a row
 * limit), audited by the classical model in folds, a run's held-out predictions averaged in when given.
 */
export async function auditLabels(
  tables: TableReader,
  p: Params<'audit'>,
  emit: (e: WorkerEvent) => void,
  signal: AbortSignal,
): Promise<AuditReport> {
  const { limit, note } = auditRowLimit(tables.count, p.config.rowLimit);
  const { table, file } = await tables.rows(p.roles, limit, p.config.seed, emit, signal);
  const examples = buildDataset(table, p.roles, file).examples;
  const c = p.config;
  const spec = makeLabelSpec(
    c.task,
    examples.map((e) => e.rating),
    { ...(c.scale ? { scale: c.scale } : {}), ...(c.threshold !== null ? { threshold: c.threshold } : {}) },
  );
  const classical = await classicalAudit(spec, examples, {
    folds: p.folds,
    seed: c.seed,
    signal,
    onFold: (done, total) => emit({ type: 'auditFold', done, total }),
  });
  const result = p.model
    ? joinModel(spec, examples, classical, new Map(p.model.map((m) => [m.line, m.score])))
    : classical;
  return auditReport(result, examples, spec, p.roles, note);
}
