import { addedColumnPrefix, freeColumnNames, writeCsv } from '../data/csvWrite';
import type { Example } from '../data/dataset';
import type { LabelSpec } from '../data/labels';
import type { AuditResult, AuditRow } from './audit';

/*
 * How an audit is written and said: the columns its CSV adds (the CLI's --out and the studio's download, which
 * `changes.ts` reads back) and its one-paragraph summary.
 */

export const AUDIT_COLUMNS = ['line', 'given', 'predicted', 'suggested', 'suspicion', 'words'] as const;

/** A row's audit values, in AUDIT_COLUMNS' order. */
export function auditValues(row: AuditRow): string[] {
  return [
    String(row.line),
    String(row.given),
    row.predicted.toFixed(3),
    String(row.suggested),
    row.suspicion.toFixed(4),
    row.words.join('; '),
  ];
}

/**
 * The prefix of the audit's columns in a CSV: "" or, where the input had a column of that name, the last of
 * "tabtune_", "tabtune2_"… that names a `suspicion` column (null: none — not an audit's output).
 */
export function auditColumnPrefix(columns: readonly string[]): string | null {
  let found: string | null = null;
  for (let k = 0; k < 100; k++) {
    const prefix = addedColumnPrefix(k);
    if (columns.includes(`${prefix}suspicion`)) found = prefix;
    else if (k > 0) break;
  }
  return found;
}

/** How many rows are over a suspicion cut. */
export function rowsAbove(result: AuditResult, cut: number): number {
  return result.rows.filter((r) => r.suspicion >= cut).length;
}

/** "About 186 of 3,000 ratings (6.2 %) look wrong: …" — the summary the CLI logs and the studio shows. */
export function describeAudit(result: AuditResult, spec: LabelSpec): string {
  const n = result.rows.length;
  const share = n > 0 ? ((100 * result.estimatedWrong) / n).toFixed(1) : '0';
  const rule =
    spec.task === 'binary'
      ? 'their text confidently says the other side of the threshold'
      : `their text confidently predicts a rating ${(spec.scale.max - spec.scale.min) / 2} or more from the given one`;
  return `About ${Math.round(result.estimatedWrong).toLocaleString('en-US')} of ${n.toLocaleString('en-US')} labels (${share} %) look wrong: ${rule} (${result.method}, ${result.seconds.toFixed(1)} s).`;
}

/** One audited row as the studio shows it: the audit's values and the row's text. */
export interface AuditRowView {
  line: number;
  text: string;
  pair: string | null;
  given: number;
  predicted: number;
  suggested: number;
  suspicion: number;
  words: string[];
}

/** An audit as the Worker answers the page: its summary, the rows to show, and every row's score. */
export interface AuditReport {
  summary: string;
  /** The task and scale the ratings were audited as. */
  spec: LabelSpec;
  estimatedWrong: number;
  /** The most suspicious rows with their text, most suspicious first. */
  top: AuditRowView[];
  /** Every audited row, most suspicious first: what "exclude all above" and the download read. */
  all: { line: number; given: number; suggested: number; suspicion: number }[];
  /** The flagged rows as CSV (line, the text columns, the audit's columns), for the download. */
  csv: string;
}

/** How many rows the studio shows with their text. */
export const AUDIT_SHOWN = 200;

export function auditReport(
  result: AuditResult,
  examples: readonly Example[],
  spec: LabelSpec,
  roles: { text: string; pair: string | null },
  note: string | null = null,
): AuditReport {
  const view = ({ index, ...r }: AuditRow): AuditRowView => ({
    ...r,
    text: examples[index]!.text,
    pair: examples[index]!.pair,
  });
  const textColumns = [roles.text, ...(roles.pair ? [roles.pair] : [])];
  const fields = [...textColumns, ...freeColumnNames(textColumns, AUDIT_COLUMNS)];
  const data = result.rows.map((r) => {
    const e = examples[r.index]!;
    return [e.text, ...(roles.pair ? [e.pair ?? ''] : []), ...auditValues(r)];
  });
  return {
    summary: note ? `${describeAudit(result, spec)} ${note}` : describeAudit(result, spec),
    spec,
    estimatedWrong: result.estimatedWrong,
    top: result.rows.slice(0, AUDIT_SHOWN).map(view),
    all: result.rows.map(({ line, given, suggested, suspicion }) => ({ line, given, suggested, suspicion })),
    csv: writeCsv({ fields, data }),
  };
}
