import type { CsvTable } from './csv';
import { rowLabels, type LabelSource } from './labelSets';

/**
 * Whether a text has anything a tokenizer reads: a letter, digit, punctuation or symbol. Spaces, control
 * and format characters (zero-width spaces, joiners, BOMs, soft hyphens) alone do not count — BERT's
 * normalizer removes them, leaving an empty input. One rule for training, evaluation and prediction.
 */
export function hasVisibleText(s: string): boolean {
  return /[^\s\p{Cc}\p{Cf}\p{Z}]/u.test(s);
}

/** Which CSV columns play which part. `pair` is the optional second segment (user or context text). */
export interface ColumnRoles {
  text: string;
  pair: string | null;
  label: string;
  /** A user or item id: rows sharing it are one group for the ranking metrics (and, if asked, one split). */
  group?: string | null;
  /** A column Results break the metrics down by (a department, an age): where the model is weak. */
  slice?: string | null;
  /** Multi-label: several 0/1 columns, one per label (`label` is the first of them). */
  labelColumns?: string[] | null;
  /** Multi-label: the label column holds tags split on this separator ("dress;sizing"). */
  labelSeparator?: string | null;
}

/** Where a multi-label task's labels come from in these roles; null when the roles name one rating column. */
export function labelSourceOf(roles: ColumnRoles): LabelSource | null {
  if (roles.labelColumns && roles.labelColumns.length > 0) return { columns: [...roles.labelColumns] };
  if (roles.labelSeparator != null) return { tagColumn: roles.label, separator: roles.labelSeparator };
  return null;
}

/** Every column the roles read as a label. */
export function labelColumnsOf(roles: ColumnRoles): string[] {
  return roles.labelColumns && roles.labelColumns.length > 0 ? [...roles.labelColumns] : [roles.label];
}

export interface Example {
  /** 1-based line in the source file, for messages and the worst-errors table. */
  line: number;
  text: string;
  pair: string | null;
  /** The rating (0 for a multi-label row, whose labels are `tags`). */
  rating: number;
  /** Multi-label: the labels this row has. */
  tags?: string[];
  /** The row's group id, when the roles name a group column. */
  group?: string;
  /** The row's value in the slice column, when the roles name one. */
  slice?: string;
}

/** Each example's group id, or null when the examples have none (no group column). */
export function groupsOf(examples: readonly Example[]): string[] | null {
  return examples.length > 0 && examples.every((e) => e.group !== undefined)
    ? examples.map((e) => e.group as string)
    : null;
}

/** One example's text as one string: the text, then its pair (for models that read words, not segments). */
export function exampleText(e: Example): string {
  return e.pair === null ? e.text : `${e.text} ${e.pair}`;
}

export interface BadRow {
  line: number;
  reason: string;
}

export interface Dataset {
  file: string;
  roles: ColumnRoles;
  examples: Example[];
  /** Every row that cannot be used, with its line and why: counted and shown, never dropped silently. */
  badRows: BadRow[];
}

export function buildDataset(table: CsvTable, roles: ColumnRoles, file: string): Dataset {
  const examples: Example[] = [];
  const badRows: BadRow[] = table.malformed.map((m) => ({ line: m.line, reason: m.reason }));
  const source = labelSourceOf(roles);
  for (const { line, values } of table.rows) {
    const text = values[roles.text] ?? '';
    const rawLabel = (values[roles.label] ?? '').trim();
    if (!hasVisibleText(text)) {
      badRows.push({ line, reason: `empty text in "${roles.text}"` });
      continue;
    }
    if (source) {
      const labels = rowLabels(values, source);
      if ('error' in labels) {
        badRows.push({ line, reason: labels.error });
        continue;
      }
      const group = roles.group ? (values[roles.group] ?? '').trim() : null;
      if (group === '') badRows.push({ line, reason: `empty group id in "${roles.group}"` });
      else
        examples.push({
          ...exampleParts(line, text, values, roles),
          rating: 0,
          tags: labels.tags,
          ...(group === null ? {} : { group }),
        });
      continue;
    }
    if (rawLabel === '') {
      badRows.push({ line, reason: `missing label in "${roles.label}"` });
      continue;
    }
    const rating = Number(rawLabel);
    if (!Number.isFinite(rating)) {
      badRows.push({
        line,
        reason: `label ${JSON.stringify(rawLabel.slice(0, 40))} in "${roles.label}" is not a number`,
      });
      continue;
    }
    const group = roles.group ? (values[roles.group] ?? '').trim() : null;
    if (group === '') {
      badRows.push({ line, reason: `empty group id in "${roles.group}"` });
      continue;
    }
    examples.push({
      ...exampleParts(line, text, values, roles),
      rating,
      ...(group === null ? {} : { group }),
    });
  }
  badRows.sort((a, b) => a.line - b.line);
  return { file, roles, examples, badRows };
}

function exampleParts(
  line: number,
  text: string,
  values: Readonly<Record<string, string>>,
  roles: ColumnRoles,
) {
  return {
    line,
    text,
    pair: roles.pair === null ? null : (values[roles.pair] ?? ''),
    ...(roles.slice ? { slice: values[roles.slice] ?? '' } : {}),
  };
}

/** "3 rows cannot be used: 2 empty text, 1 label not a number" — for logs and the UI summary. */
export function summarizeBadRows(bad: readonly BadRow[]): string {
  if (bad.length === 0) return 'every row is usable';
  const kinds = new Map<string, number>();
  for (const b of bad) {
    const kind = b.reason.startsWith('empty text')
      ? 'empty text'
      : b.reason.startsWith('missing label')
        ? 'missing label'
        : b.reason.includes('is not a number')
          ? 'label not a number'
          : b.reason.includes('is not 0 or 1')
            ? 'label not 0/1'
            : b.reason.startsWith('rating ')
              ? "rating the model can't score"
              : b.reason.startsWith('empty group id')
                ? 'empty group id'
                : 'malformed row';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const parts = [...kinds].map(([k, n]) => `${n} ${k}`);
  return `${bad.length} row(s) cannot be used: ${parts.join(', ')}`;
}
