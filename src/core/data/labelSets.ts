import { TabTuneError } from '../errors';

/*
 * Several targets at once (the multi-label task): each row's set of labels, read from several 0/1 columns (one per
 * label, named by the column) or from one column of tags ("dress;sizing"). The labels a model learns are the
 * training split's; a tag seen only in validation or test is listed, not silently dropped. Pure.
 */

/** Where the labels come from: several 0/1 columns, or one column of tags split on a separator. */
export type LabelSource = { columns: string[] } | { tagColumn: string; separator: string };

/** A row's labels, or why the row cannot be used. */
export type RowLabels = { tags: string[] } | { error: string };

const TRUE = new Set(['1', '1.0', 'true', 'yes']);
const FALSE = new Set(['0', '0.0', 'false', 'no']);

/** Refuses sources that cannot run: fewer than two 0/1 columns, a column named twice, an empty separator. */
export function checkLabelSource(source: LabelSource, textColumns: readonly string[]): void {
  if ('columns' in source) {
    if (source.columns.length < 2)
      throw new TabTuneError(
        'usage',
        `The multi-label task needs at least two label columns; --label-columns names ${source.columns.length}. For one 0/1 column use the binary task.`,
      );
    const twice = source.columns.find((c, i) => source.columns.indexOf(c) !== i);
    if (twice !== undefined)
      throw new TabTuneError(
        'usage',
        `Label column "${twice}" is named twice in --label-columns. Name each once.`,
      );
  } else if (source.separator === '')
    throw new TabTuneError(
      'usage',
      'The tag separator is empty. Give the character between tags, e.g. --label-separator ";".',
    );
  const labelColumns = 'columns' in source ? source.columns : [source.tagColumn];
  const both = labelColumns.find((c) => textColumns.includes(c));
  if (both !== undefined)
    throw new TabTuneError(
      'usage',
      `"${both}" is chosen both as text and as a label: the model would read the answer it must predict. Choose the review text as the text column.`,
    );
}

/** One row's labels from its cells. */
export function rowLabels(values: Readonly<Record<string, string>>, source: LabelSource): RowLabels {
  if ('tagColumn' in source) {
    const raw = values[source.tagColumn] ?? '';
    const tags = [
      ...new Set(
        raw
          .split(source.separator)
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      ),
    ];
    return { tags };
  }
  const tags: string[] = [];
  for (const column of source.columns) {
    const cell = (values[column] ?? '').trim().toLowerCase();
    if (cell === '') return { error: `missing label in "${column}"` };
    if (TRUE.has(cell)) tags.push(column);
    else if (!FALSE.has(cell))
      return {
        error: `label ${JSON.stringify((values[column] ?? '').slice(0, 40))} in "${column}" is not 0 or 1 (a multi-label column holds 0/1, true/false or yes/no)`,
      };
  }
  return { tags };
}

/**
 * The labels to learn, from the training rows: the 0/1 columns in their order, or the tags seen in training
 * (most frequent first, then by name). Refuses a tag column with fewer than two tags and a label no training row
 * has (its AUC and its loss would mean nothing), naming them.
 */
export function labelNames(
  train: readonly (readonly string[])[],
  source: LabelSource,
  file: string,
): string[] {
  const counts = new Map<string, number>();
  for (const tags of train) for (const t of tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  if ('columns' in source) {
    const never = source.columns.filter((c) => !counts.has(c));
    if (never.length > 0)
      throw new TabTuneError(
        'data',
        `No training row of ${file} has ${never.map((c) => `"${c}"`).join(', ')} set to 1: the model cannot learn ${never.length === 1 ? 'that label' : 'those labels'}. Leave ${never.length === 1 ? 'it' : 'them'} out of --label-columns, or add rows that have ${never.length === 1 ? 'it' : 'them'}.`,
      );
    return [...source.columns];
  }
  const names = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
  if (names.length < 2)
    throw new TabTuneError(
      'data',
      `The tag column "${source.tagColumn}" of ${file} holds ${names.length === 0 ? 'no tag' : `one tag only ("${names[0]}")`} in the training rows (separator "${source.separator}"): the multi-label task needs at least two. Check the separator, or use the binary task for one tag.`,
    );
  return names;
}

/** Tags of validation or test rows that no training row has, with how many rows carry each: listed, not learned. */
export function unseenTags(
  rows: readonly (readonly string[])[],
  names: readonly string[],
): Map<string, number> {
  const known = new Set(names);
  const unseen = new Map<string, number>();
  for (const tags of rows) for (const t of tags) if (!known.has(t)) unseen.set(t, (unseen.get(t) ?? 0) + 1);
  return unseen;
}

/** A row's 0/1 target per label, in the order of `names`. */
export function targetVector(tags: readonly string[], names: readonly string[]): number[] {
  const has = new Set(tags);
  return names.map((n) => (has.has(n) ? 1 : 0));
}

/**
 * A stratum per row for a stratified split, as well as the labels allow: the row's rarest label (by its count
 * over all rows), or "" for a row with none — so that every label, the rare ones first, reaches each split.
 */
export function strata(rows: readonly (readonly string[])[]): string[] {
  const counts = new Map<string, number>();
  for (const tags of rows) for (const t of tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return rows.map((tags) =>
    tags.reduce<string>((rarest, t) => {
      if (rarest === '') return t;
      const [a, b] = [counts.get(t) as number, counts.get(rarest) as number];
      return a < b || (a === b && t < rarest) ? t : rarest;
    }, ''),
  );
}
