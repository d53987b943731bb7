import { describeRowLimit } from '../data/rowLimit';
import type { CsvTable } from '../data/csv';
import { labelSourceOf, type ColumnRoles, type Dataset, type Example } from '../data/dataset';
import { multiLabelSpec } from '../data/labels';
import { checkLabelSource, labelNames, strata, unseenTags, type LabelSource } from '../data/labelSets';
import { TabTuneError } from '../errors';
import type { TrainConfig } from './config';
import { repeatWarnings, requireTrainRows, roleWarnings, splitter, type PreparedData } from './preparedData';

/*
 * The multi-label task's data (data/labelSets.ts reads the labels): its sources checked, a split stratified as well
 * as the labels allow, the labels the training rows have, and what validation and test have that training lacks.
 */

/**
 * The multi-label task needs its labels' source (several 0/1 columns or a tag column), and only it reads one;
 * a source checked as `checkLabelSource` does. The audit's label changes are for ratings, not label sets.
 */
export function checkTaskLabels(roles: ColumnRoles, config: TrainConfig): void {
  const source = labelSourceOf(roles);
  if (config.task === 'multi-label') {
    if (!source)
      throw new TabTuneError(
        'usage',
        'The multi-label task needs its labels: several 0/1 columns (--label-columns a,b,c in the CLI) or one column of tags and their separator (--label-column tags --label-separator ";").',
      );
    checkLabelSource(source, roles.pair === null ? [roles.text] : [roles.text, roles.pair]);
    if (roles.slice)
      throw new TabTuneError(
        'usage',
        `Slices ("${roles.slice}") break a rating's AUC down; the multi-label task has an AUC per label instead, and no slices yet. Leave out the slice column (--slice-column).`,
      );
    if (config.labelChanges)
      throw new TabTuneError(
        'usage',
        `Label changes from the audit (${config.labelChanges.source}) are for a rating column; the multi-label task cannot take them. Leave out --exclude and --relabel.`,
      );
  } else if (source)
    throw new TabTuneError(
      'usage',
      `Several label columns or a tag separator are for the multi-label task, not ${config.task}. Choose --task multi-label, or one label column without a separator.`,
    );
}

/**
 * The multi-label task's split and spec: a split stratified by each row's rarest label (`strata`), the labels the
 * training rows have (`labelNames`), and tags only validation or test rows have listed as a warning.
 */
export function prepareMultiLabel(c: {
  table: CsvTable;
  roles: ColumnRoles;
  file: string;
  config: TrainConfig;
  dataset: Dataset;
  validationDataset: Dataset | null;
  validation: { table: CsvTable; file: string } | null;
}): PreparedData {
  const { dataset, config, file } = c;
  const source = labelSourceOf(c.roles) as LabelSource;
  requireZeroOneColumns(dataset, source);
  const byStratum = new Map<string, number>();
  const keys = strata(dataset.examples.map((e) => e.tags ?? [])).map(
    (s) => byStratum.get(s) ?? byStratum.set(s, byStratum.size).get(s)!,
  );
  const split = splitter(dataset, config, keys);
  const pick = (idx: number[]) => idx.map((i) => dataset.examples[i] as Example);
  const s = split({
    validation: c.validationDataset ? 0 : config.validationFraction,
    test: config.testFraction,
  });
  requireTrainRows(s.train.length, dataset.examples.length, file, config.groupSplit);
  const train = pick(s.train);
  const validation = c.validationDataset ? c.validationDataset.examples : pick(s.validation);
  const test = pick(s.test);
  if (validation.length === 0)
    throw new TabTuneError(
      'data',
      c.validationDataset
        ? `${c.validation!.file} has no usable rows for validation.`
        : `The validation split of ${file} is empty. Raise the validation share (--val-fraction in the CLI, "Validation share" in the studio), add rows, or give a separate validation file (--val-data).`,
    );
  const names = labelNames(
    train.map((e) => e.tags ?? []),
    source,
    file,
  );
  const spec = multiLabelSpec(names);
  const v = c.validationDataset && { dataset: c.validationDataset, file: c.validation!.file };
  const warnings = [...roleWarnings(c.roles, dataset), ...repeatWarnings(dataset, file, v)];
  warnings.push(...heldOutLabelWarnings(names, validation, test));
  return {
    dataset,
    validationDataset: c.validationDataset,
    spec,
    train,
    validation,
    test,
    warnings,
    rowLimit: describeRowLimit(c.table, config.rowLimit),
    labelChanges: null,
  };
}

/**
 * A "0/1" column most of whose values are something else (a rating, a category) is not a label column: refused,
 * naming it, rather than training on the few rows that happen to read as 0/1. A stray value makes its row unusable
 * (listed with the others).
 */
function requireZeroOneColumns(dataset: Dataset, source: LabelSource): void {
  if (!('columns' in source)) return;
  const rows = dataset.examples.length + dataset.badRows.length;
  for (const column of source.columns) {
    const odd = dataset.badRows.filter((b) =>
      b.reason.endsWith(
        `in "${column}" is not 0 or 1 (a multi-label column holds 0/1, true/false or yes/no)`,
      ),
    );
    if (odd.length * 2 > rows)
      throw new TabTuneError(
        'data',
        `"${column}" in ${dataset.file} is not a 0/1 column: ${odd.length} of its ${rows} values are not 0 or 1 (line ${odd[0]!.line}: ${odd[0]!.reason.split(' in ')[0]!.replace('label ', '')}). A multi-label column holds 0/1 (true/false, yes/no). For a rating, use the binary task with a threshold, or make a 0/1 column from it.`,
      );
  }
}

/**
 * Tags of validation or test rows that no training row has (listed, not learned), and labels a held-out split has
 * no row of (their AUC there cannot be measured).
 */
function heldOutLabelWarnings(
  names: readonly string[],
  validation: readonly Example[],
  test: readonly Example[],
): string[] {
  const warnings: string[] = [];
  for (const [part, rows] of [
    ['validation', validation],
    ['test', test],
  ] as const) {
    const unseen = unseenTags(
      rows.map((e) => e.tags ?? []),
      names,
    );
    if (unseen.size > 0)
      warnings.push(
        `${unseen.size} tag(s) of the ${part} rows appear in no training row and are not learned: ${[
          ...unseen,
        ]
          .slice(0, 8)
          .map(([t, n]) => `"${t}" (${n} row${n === 1 ? '' : 's'})`)
          .join(
            ', ',
          )}${unseen.size > 8 ? ', …' : ''}. Add training rows with them, or leave them out of the file.`,
      );
    const absent = names.filter((n) => !rows.some((e) => e.tags?.includes(n)));
    if (absent.length > 0)
      warnings.push(
        `No ${part} row has ${absent.map((n) => `"${n}"`).join(', ')}: ${absent.length === 1 ? 'its' : 'their'} ${part} AUC cannot be measured and the macro AUC leaves ${absent.length === 1 ? 'it' : 'them'} out. Add rows, or raise the ${part} share.`,
      );
  }
  return warnings;
}
