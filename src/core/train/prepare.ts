import type { RunRecord } from './record';
import type { CsvTable } from '../data/csv';
import {
  buildDataset,
  summarizeBadRows,
  type ColumnRoles,
  type Dataset,
  type Example,
} from '../data/dataset';
import { makeLabelSpec, scaleOutliers, type LabelSpec } from '../data/labels';
import { checkTaskLabels, prepareMultiLabel } from './prepareMultiLabel';
import {
  checkRoles,
  repeatWarnings,
  requireRoles,
  requireTrainRows,
  roleWarnings,
  splitter,
  MIN_TRAIN_ROWS,
  type PreparedData,
} from './preparedData';
import { describeRowLimit, limitRows } from '../data/rowLimit';
import { splitSizes } from '../data/split';
import { TabTuneError } from '../errors';
import { applyChanges, checkChanges, describeApplied, type AppliedChanges } from '../audit/changes';
import type { TrainConfig } from './config';

export type { PreparedData } from './preparedData';

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
  checkTaskLabels(roles, config);
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
  if (config.task === 'multi-label')
    return prepareMultiLabel({ table, roles, file, config, dataset, validationDataset, validation });
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
  const split = splitter(dataset, config, ratings);
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

/** "recommended 1,412, dresses 540, …": each label with its training rows. */
function labelCounts(data: PreparedData): string {
  return data.spec
    .labels!.map(
      (n) => `${n} ${data.train.filter((e) => e.tags?.includes(n)).length.toLocaleString('en-US')}`,
    )
    .join(', ');
}

export function describeData(data: PreparedData, file: string): string[] {
  const bad = data.dataset.badRows;
  const s = data.spec;
  return [
    ...(data.rowLimit ? [`data: ${file}: ${data.rowLimit}`] : []),
    `data: ${file}: ${data.dataset.examples.length} usable rows; ${summarizeBadRows(bad)}`,
    ...bad.slice(0, 10).map((b) => `  line ${b.line}: ${b.reason}`),
    ...(bad.length > 10 ? [`  … and ${bad.length - 10} more`] : []),
    `task: ${s.task}, ${s.task === 'multi-label' ? `${s.labels!.length} labels (${labelCounts(data)})` : `ratings ${s.scale.min}–${s.scale.max}, positive = rating ≥ ${s.threshold}`}; split ${splitSizes({ train: data.train.length, validation: data.validation.length, test: data.test.length })}${heldOutNote(data)}`,
    ...(data.labelChanges ? [describeApplied(data.labelChanges)] : []),
    ...data.warnings.map((w) => `warning: ${w}`),
  ];
}
