import type { AppliedChanges } from '../audit/changes';
import { requireColumn, type CsvTable } from '../data/csv';
import { labelColumnsOf, type ColumnRoles, type Dataset, type Example } from '../data/dataset';
import type { LabelSpec } from '../data/labels';
import { TabTuneError } from '../errors';
import { groupedSplit, stratifiedSplitKeepingCopies, type SplitFractions } from '../data/split';
import type { TrainConfig } from './config';

/*
 * The data a run trains on, and the checks every task's preparation shares (prepare.ts for a rating,
 * prepareMultiLabel.ts for several labels): columns present, roles that do not train on the answer, a split with
 * rows to train on, and the warnings on repeated rows and odd texts.
 */

export interface PreparedData {
  dataset: Dataset;
  validationDataset: Dataset | null;
  spec: LabelSpec;
  train: Example[];
  validation: Example[];
  test: Example[];
  /** Choices made for the user that they should know of (a stretched scale, say): logged and shown. */
  warnings: string[];
  /** "using 100,000 of 1,000,000 rows (…)" when a row limit applies. */
  rowLimit: string | null;
  /** What the run's label changes (TrainConfig.labelChanges) did to its training and validation rows. */
  labelChanges: AppliedChanges | null;
}

export const MIN_TRAIN_ROWS = 8;

/** A split with no training row is refused: no run may train on nothing and end as "completed". */
export function requireTrainRows(train: number, usable: number, file: string, grouped: boolean): void {
  if (train > 0) return;
  throw new TabTuneError(
    'data',
    grouped
      ? `The training split of ${file} is empty: its ${usable} usable rows form too few groups to keep each group in one split (every group went to validation or test). Add rows of more groups, choose another group column, or turn "Keep groups in one split" off (--group-split in the CLI).`
      : `The training split of ${file} is empty: ${usable} usable rows leave none to train on after the validation and test shares. Add rows, or lower the shares (--val-fraction, --test-fraction).`,
  );
}

/** Every column the roles name is in the file. */
export function requireRoles(t: CsvTable, roles: ColumnRoles, file: string): void {
  requireColumn(t, roles.text, file);
  for (const column of labelColumnsOf(roles)) requireColumn(t, column, file);
  if (roles.pair !== null) requireColumn(t, roles.pair, file);
  if (roles.group) requireColumn(t, roles.group, file);
  if (roles.slice) requireColumn(t, roles.slice, file);
}

/**
 * Refuses roles that cannot run (a group split without a group column) or that train on the answer: a text (or second text) column that is the rating column, or the group
 * column (an id the split keeps apart, or that identifies the answer). The model would read what it must predict.
 */
export function checkRoles(roles: ColumnRoles, groupSplit: boolean): void {
  if (groupSplit && !roles.group) {
    throw new TabTuneError(
      'usage',
      'Keeping each group in one split needs a group column (a user or item id): choose one, or turn the option off (--group-column in the CLI).',
    );
  }
  const answer = (column: string, part: string) => {
    if (column === roles.label)
      throw new TabTuneError(
        'usage',
        `The ${part} column and the rating column are both "${column}": the model would read the answer it must predict, and its AUC would mean nothing. Choose the column that holds the review text as the ${part} column (--${part === 'text' ? 'text-column' : 'text-pair-column'} in the CLI).`,
      );
    if (roles.group && column === roles.group)
      throw new TabTuneError(
        'usage',
        `The ${part} column and the group column are both "${column}": the model would learn ids, not text. Choose another column for one of them.`,
      );
  };
  answer(roles.text, 'text');
  if (roles.pair !== null) answer(roles.pair, 'second text');
}

/** Warnings on roles that run but are likely a slip: the second text equal to the first, texts that are numbers. */
export function roleWarnings(roles: ColumnRoles, dataset: Dataset): string[] {
  const out: string[] = [];
  if (roles.pair !== null && roles.pair === roles.text)
    out.push(
      `The second text column is the text column ("${roles.text}"): every row reads its text twice. Choose another column as the second text, or none.`,
    );
  const texts = dataset.examples.map((e) => e.text.trim());
  const numeric = texts.filter((t) => /^[-+]?[\d.,\s%]+$/.test(t)).length;
  if (texts.length > 0 && numeric / texts.length > 0.9)
    out.push(
      `${numeric} of the ${texts.length} texts in "${roles.text}" are only numbers: is it the text column you meant? A language model learns little from numbers; choose the column with the words.`,
    );
  return out;
}

/** At least this share of repeated rows (or of validation rows found in training) is warned of. */
export const REPEAT_SHARE = 0.05;

/** What makes two rows the same input: their text and second text. */
export const textKey = (e: Example) => `${e.text}\u0000${e.pair ?? ''}`;

/**
 * Warnings on rows that repeat: duplicate texts within the file (a bad join repeats every row; the split keeps
 * each text's copies together, but training weighs them several times), and a validation file whose
 * rows are training rows (the same file given twice). A few short texts ("Love it!") repeat in real reviews, so
 * only a share of REPEAT_SHARE or more is said.
 */
export function repeatWarnings(
  dataset: Dataset,
  file: string,
  validation: { dataset: Dataset; file: string } | null,
): string[] {
  const seen = new Map<string, number>();
  for (const e of dataset.examples) seen.set(textKey(e), (seen.get(textKey(e)) ?? 0) + 1);
  const repeated = dataset.examples.length - seen.size;
  const out: string[] = [];
  if (repeated >= REPEAT_SHARE * dataset.examples.length)
    out.push(
      `${repeated} of the ${dataset.examples.length} usable rows of ${file} repeat another row's text (${[...seen.values()].filter((n) => n > 1).length} texts appear more than once): the copies of a text are kept in one split (so validation and test do not score memory), but training weighs a repeated text as many times as it appears. Remove the duplicates (did a join repeat rows?).`,
    );
  if (validation) {
    const shared = validation.dataset.examples.filter((e) => seen.has(textKey(e))).length;
    if (shared >= REPEAT_SHARE * validation.dataset.examples.length)
      out.push(
        `${shared} of the ${validation.dataset.examples.length} rows of ${validation.file} are also in ${file} (same text): validation then measures memory, not how the model does on new rows. Give a validation file of other rows.`,
      );
  }
  return out;
}

/** The run's split of a file's rows: by group (config.groupSplit), or stratified by `strata`, copies kept together. */
export function splitter(dataset: Dataset, config: TrainConfig, strata: readonly number[]) {
  return (fractions: SplitFractions) =>
    config.groupSplit
      ? groupedSplit(
          dataset.examples.map((e) => e.group as string),
          fractions,
          config.seed,
        )
      : stratifiedSplitKeepingCopies(strata, dataset.examples.map(textKey), fractions, config.seed);
}
