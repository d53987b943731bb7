import type { RunRecord } from './record';
import type { CsvTable } from '../data/csv';
import { requireColumn } from '../data/csv';
import {
  buildDataset,
  summarizeBadRows,
  type ColumnRoles,
  type Dataset,
  type Example,
} from '../data/dataset';
import { makeLabelSpec, scaleOutliers, type LabelSpec } from '../data/labels';
import { describeRowLimit, limitRows } from '../data/rowLimit';
import { groupedSplit, stratifiedSplitKeepingCopies, type SplitFractions } from '../data/split';
import { TabTuneError } from '../errors';
import { applyChanges, checkChanges, describeApplied, type AppliedChanges } from '../audit/changes';
import type { TrainConfig } from './config';

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

/**
 * Columns checked, unusable rows listed, label spec fixed, and a seeded stratified split — or, with a
 * separate validation file, train/test from the data and validation from that file.
 */
export function prepareData(
  fullTable: CsvTable,
  roles: ColumnRoles,
  file: string,
  config: TrainConfig,
  validation: { table: CsvTable; file: string } | null = null,
): PreparedData {
  checkRoles(roles, config.groupSplit);
  const table = limitRows(fullTable, config.rowLimit, config.seed);
  requireRoles(table, roles, file);
  if (validation) requireRoles(validation.table, roles, validation.file);
  const dataset = buildDataset(table, roles, file);
  const validationDataset = validation ? buildDataset(validation.table, roles, validation.file) : null;
  if (dataset.examples.length < MIN_TRAIN_ROWS) {
    throw new TabTuneError(
      'data',
      `${file} has ${dataset.examples.length} usable row(s) (of ${dataset.examples.length + dataset.badRows.length}); TabTune needs at least ${MIN_TRAIN_ROWS}. ${dataset.badRows.length > 0 ? `First unusable: line ${dataset.badRows[0]!.line}, ${dataset.badRows[0]!.reason}.` : ''}`.trim(),
    );
  }
  // The task's scale and classes come from the training file; a validation file must be on them.
  const spec = makeLabelSpec(
    config.task,
    dataset.examples.map((e) => e.rating),
    {
      ...(config.scale ? { scale: config.scale } : {}),
      ...(config.threshold !== null ? { threshold: config.threshold } : {}),
    },
  );
  if (validationDataset) requireSameScale(validationDataset, spec, validation!.file, file);
  const v = validationDataset && { dataset: validationDataset, file: validation!.file };
  const warnings = [...roleWarnings(roles, dataset), ...repeatWarnings(dataset, file, v)];
  warnings.push(...numberFormatWarnings(table, roles.label, file, spec));
  if (!config.scale) warnings.push(...outlierWarnings(dataset, validationDataset, spec));
  const ratings = dataset.examples.map((e) => e.rating);
  const pick = (idx: number[]) => idx.map((i) => dataset.examples[i] as Example);
  const split = (fractions: SplitFractions) =>
    config.groupSplit
      ? groupedSplit(
          dataset.examples.map((e) => e.group as string),
          fractions,
          config.seed,
        )
      : stratifiedSplitKeepingCopies(ratings, dataset.examples.map(textKey), fractions, config.seed);
  const finish = (rows: { train: Example[]; validation: Example[]; test: Example[] }): PreparedData => {
    const changed = withChanges(rows, { config, fullTable, roles, file, dataset, spec, validationDataset });
    const rowLimit = describeRowLimit(table, config.rowLimit);
    const more = smallSplitWarnings(changed.validation, spec);
    return { dataset, validationDataset, spec, ...changed, warnings: [...warnings, ...more], rowLimit };
  };
  if (validationDataset) {
    if (validationDataset.examples.length === 0) {
      throw new TabTuneError('data', `${validation!.file} has no usable rows for validation.`);
    }
    const s = split({ validation: 0, test: config.testFraction });
    requireTrainRows(s.train.length, dataset.examples.length, file, config.groupSplit);
    return finish({ train: pick(s.train), validation: validationDataset.examples, test: pick(s.test) });
  }
  const s = split({ validation: config.validationFraction, test: config.testFraction });
  requireTrainRows(s.train.length, dataset.examples.length, file, config.groupSplit);
  if (s.validation.length === 0) {
    throw new TabTuneError(
      'data',
      `The validation split of ${file} is empty: ${dataset.examples.length} usable rows × a validation share of ${config.validationFraction} rounds to no row in any rating. Raise the validation share (--val-fraction in the CLI, "Validation share" in the studio), add rows, or give a separate validation file (--val-data).`,
    );
  }
  return finish({ train: pick(s.train), validation: pick(s.validation), test: pick(s.test) });
}

/**
 * The split with the run's label changes applied to its training and validation rows (its test rows as they are),
 * checked first against the whole file: a line it lacks, or whose rating is not the one audited, is refused.
 */
function withChanges(
  split: { train: Example[]; validation: Example[]; test: Example[] },
  c: {
    config: TrainConfig;
    fullTable: CsvTable;
    roles: ColumnRoles;
    file: string;
    dataset: Dataset;
    spec: LabelSpec;
    /** A separate validation file: its lines are not the data file's, so the changes leave it as it is. */
    validationDataset: Dataset | null;
  },
): { train: Example[]; validation: Example[]; test: Example[]; labelChanges: AppliedChanges | null } {
  const changes = c.config.labelChanges ?? null;
  if (!changes) return { ...split, labelChanges: null };
  const whole =
    c.fullTable.rows.length === c.dataset.examples.length + c.dataset.badRows.length
      ? c.dataset
      : buildDataset(c.fullTable, c.roles, c.file);
  checkChanges(changes, new Map(whole.examples.map((e) => [e.line, e.rating])), c.file, c.spec.scale);
  const own = c.validationDataset ? { ...split, validation: [] } : split;
  const { applied, ...changed } = applyChanges(own, changes);
  const rest = c.validationDataset ? { ...changed, validation: split.validation } : changed;
  if (rest.train.length === 0)
    throw new TabTuneError(
      'data',
      `The label changes (${changes.source}) leave no training row of ${c.file}: ${applied.excluded} of them are left out. Exclude fewer rows (a higher suspicion cut).`,
    );
  if (rest.validation.length === 0)
    throw new TabTuneError(
      'data',
      `The label changes (${changes.source}) leave no validation row. Exclude fewer rows (a higher suspicion cut).`,
    );
  return { ...rest, labelChanges: applied };
}

/** A split with no training row is refused: no run may train on nothing and end as "completed". */
function requireTrainRows(train: number, usable: number, file: string, grouped: boolean): void {
  if (train > 0) return;
  throw new TabTuneError(
    'data',
    grouped
      ? `The training split of ${file} is empty: its ${usable} usable rows form too few groups to keep each group in one split (every group went to validation or test). Add rows of more groups, choose another group column, or turn "Keep groups in one split" off (--group-split in the CLI).`
      : `The training split of ${file} is empty: ${usable} usable rows leave none to train on after the validation and test shares. Add rows, or lower the shares (--val-fraction, --test-fraction).`,
  );
}

/**
 * A validation file's ratings on the training file's scale (and, for classification, among its classes): one on
 * another scale would silently change the task, its threshold and every metric. Refused with both scales named.
 */
function requireSameScale(validation: Dataset, spec: LabelSpec, vFile: string, file: string): void {
  const { min, max } = spec.scale;
  const off = validation.examples.filter(
    (e) =>
      e.rating < min ||
      e.rating > max ||
      (spec.task === 'classification' && !spec.classes.includes(e.rating)),
  );
  if (off.length === 0) return;
  const ratings = validation.examples.map((e) => e.rating);
  const list = off
    .slice(0, 5)
    .map((e) => `line ${e.line}: ${e.rating}`)
    .join('; ');
  throw new TabTuneError(
    'data',
    `${vFile} has ${off.length} rating(s) outside ${file}'s ${spec.task === 'classification' ? `classes (${spec.classes.join(', ')})` : `scale ${min}–${max}`} (${list}${off.length > 5 ? '; …' : ''}); its own ratings run ${Math.min(...ratings)}–${Math.max(...ratings)}. Give a validation file on the training data's scale, or, if the training data only lack the extremes, set the scale (--scale in the CLI).`,
  );
}

/** Every column the roles name is in the file. */
function requireRoles(t: CsvTable, roles: ColumnRoles, file: string): void {
  requireColumn(t, roles.text, file);
  requireColumn(t, roles.label, file);
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
function roleWarnings(roles: ColumnRoles, dataset: Dataset): string[] {
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

/**
 * Ratings written with a thousands separator ("1,243") or a decimal comma ("4,5") are not numbers to the reader
 * (the comma's meaning depends on the locale) and are listed as unusable; this says so, with the scale then guessed
 * from the other rows, and how to write them. Pure.
 */
export function numberFormatWarnings(
  table: CsvTable,
  label: string,
  file: string,
  spec: LabelSpec,
): string[] {
  const odd = table.rows.filter(({ values }) =>
    /^[-+]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+,\d+)$/.test((values[label] ?? '').trim()),
  );
  if (odd.length === 0) return [];
  const list = odd
    .slice(0, 5)
    .map(({ line, values }) => `line ${line}: "${(values[label] ?? '').trim()}"`)
    .join('; ');
  return [
    `${odd.length} rating(s) in "${label}" of ${file} are written with a thousands separator or a decimal comma (${list}${odd.length > 5 ? '; …' : ''}) and cannot be read as numbers, so those rows are unusable and the scale (${spec.scale.min}–${spec.scale.max}) was guessed from the others. Write them without separators (1243) or with a decimal point (4.5), and load the file again.`,
  ];
}

/** At least this share of repeated rows (or of validation rows found in training) is warned of. */
export const REPEAT_SHARE = 0.05;

/** What makes two rows the same input: their text and second text. */
const textKey = (e: Example) => `${e.text}\u0000${e.pair ?? ''}`;

/**
 * Warnings on rows that repeat: duplicate texts within the file (a bad join repeats every row; the split keeps
 * each text's copies together, but training weighs them several times), and a validation file whose
 * rows are training rows (the same file given twice). A few short texts ("Love it!") repeat in real reviews, so
 * only a share of REPEAT_SHARE or more is said.
 */
function repeatWarnings(
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

/** Fewer positive or negative validation rows than this, and the validation AUC moves by chance. */
export const MIN_AUC_CLASS_ROWS = 30;

/**
 * A warning before training when the validation split has too few rows of a class for a stable AUC: the
 * best-weights choice and early stopping would follow chance. Pure.
 */
export function smallSplitWarnings(validation: readonly Example[], spec: LabelSpec): string[] {
  const positives = validation.filter((e) => e.rating >= spec.threshold).length;
  const negatives = validation.length - positives;
  if (Math.min(positives, negatives) >= MIN_AUC_CLASS_ROWS) return [];
  return [
    `The validation split has ${positives} positive and ${negatives} negative rows (positive = rating ≥ ${spec.threshold}): under ${MIN_AUC_CLASS_ROWS} of a class, its AUC moves by chance (see its 95 % interval), and so do the best-weights choice and early stopping. Raise the validation share (--val-fraction in the CLI, "Validation share" in the studio), add rows, or give a separate validation file (--val-data).`,
  ];
}

function outlierWarnings(dataset: Dataset, validation: Dataset | null, spec: LabelSpec): string[] {
  const examples = [...dataset.examples, ...(validation?.examples ?? [])];
  const odd = new Set(scaleOutliers(examples.map((e) => e.rating)));
  if (odd.size === 0) return [];
  const rows = examples.filter((e) => odd.has(e.rating));
  const rest = examples.filter((e) => !odd.has(e.rating)).map((e) => e.rating);
  const list = rows
    .slice(0, 5)
    .map((e) => `line ${e.line}: ${e.rating}`)
    .join('; ');
  return [
    `${rows.length} rating(s) lie far outside the others (${Math.min(...rest)}–${Math.max(...rest)}) and stretch the guessed scale to ${spec.scale.min}–${spec.scale.max} (${list}${rows.length > 5 ? '; …' : ''}). If they are typos, fix those rows; otherwise set the rating scale explicitly (--scale in the CLI).`,
  ];
}

/** The data part of an export's run record. */
export function dataRecord(data: PreparedData, file: string): RunRecord['data'] {
  return {
    file,
    usableRows: data.dataset.examples.length,
    badRows: data.dataset.badRows.length,
    train: data.train.length,
    validation: data.validation.length,
    test: data.test.length,
    ...(data.labelChanges ? { labelChanges: data.labelChanges } : {}),
  };
}

/** What the run's log says of the data before training: usable rows, each unusable one (up to 10), the split. */
/**
 * With a validation file the data file still gives up its test share: a person comparing with a run that trains
 * on every row of the file (PyTorch's plain recipe, say) should know (docs/defaults.md: that share explained the gap).
 */
function heldOutNote(data: PreparedData): string {
  if (!data.validationDataset || data.test.length === 0) return '';
  return ` (validation from its own file; ${data.test.length} rows of the training file are held out as test — test fraction 0, --test-fraction 0 in the CLI, trains on them too)`;
}

export function describeData(data: PreparedData, file: string): string[] {
  const bad = data.dataset.badRows;
  const s = data.spec;
  return [
    ...(data.rowLimit ? [`data: ${file}: ${data.rowLimit}`] : []),
    `data: ${file}: ${data.dataset.examples.length} usable rows; ${summarizeBadRows(bad)}`,
    ...bad.slice(0, 10).map((b) => `  line ${b.line}: ${b.reason}`),
    ...(bad.length > 10 ? [`  … and ${bad.length - 10} more`] : []),
    `task: ${s.task}, ratings ${s.scale.min}–${s.scale.max}, positive = rating ≥ ${s.threshold}; split ${data.train.length} train / ${data.validation.length} validation / ${data.test.length} test${heldOutNote(data)}`,
    ...(data.labelChanges ? [describeApplied(data.labelChanges)] : []),
    ...data.warnings.map((w) => `warning: ${w}`),
  ];
}
