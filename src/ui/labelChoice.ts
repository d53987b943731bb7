import type { ColumnRoles } from '../core/data/dataset';
import type { Task } from '../core/data/labels';

/** What the Data step's "What to predict" says: a rating column, several 0/1 columns, or a tag column. */
export type LabelChoice =
  | { kind: 'rating'; column: string }
  | { kind: 'columns'; columns: string[] }
  | { kind: 'tags'; column: string; separator: string };

/** The choice the roles hold. Pure. */
export function labelChoiceOf(roles: ColumnRoles): LabelChoice {
  if (roles.labelColumns != null) return { kind: 'columns', columns: [...roles.labelColumns] };
  if (roles.labelSeparator != null)
    return { kind: 'tags', column: roles.label, separator: roles.labelSeparator };
  return { kind: 'rating', column: roles.label };
}

/** The roles with this choice (`label` the rating or tag column, or the first 0/1 column, "" before one). Pure. */
export function withLabelChoice(roles: ColumnRoles, choice: LabelChoice): ColumnRoles {
  switch (choice.kind) {
    case 'rating':
      return { ...roles, label: choice.column, labelColumns: null, labelSeparator: null };
    case 'columns':
      return { ...roles, label: choice.columns[0] ?? '', labelColumns: choice.columns, labelSeparator: null };
    case 'tags':
      return { ...roles, label: choice.column, labelColumns: null, labelSeparator: choice.separator };
  }
}

/** What a run predicts, in the Quick start's words: rating “stars”, labels “a”, “b” (0/1), or tags of “tags”. Pure. */
export function describeLabels(roles: ColumnRoles): string {
  const choice = labelChoiceOf(roles);
  if (choice.kind === 'columns') return `labels ${choice.columns.map((c) => `“${c}”`).join(', ')} (0/1)`;
  if (choice.kind === 'tags') return `the tags in “${choice.column}” (split on “${choice.separator}”)`;
  return `rating “${choice.column}”`;
}

/** Whether the roles name their labels fully enough to read rows: a column, or (0/1 columns) at least two. Pure. */
export function labelsChosen(roles: ColumnRoles | null): boolean {
  if (!roles || roles.label === '') return false;
  return roles.labelColumns == null || roles.labelColumns.length >= 2;
}

/**
 * The task the roles call for: multi-label where they name several labels; otherwise the one set, or regression
 * when multi-label was set for labels no longer chosen. Pure.
 */
export function taskForRoles(roles: ColumnRoles | null, task: Task): Task {
  const multi = roles !== null && labelChoiceOf(roles).kind !== 'rating';
  if (multi) return 'multi-label';
  return task === 'multi-label' ? 'regression' : task;
}
