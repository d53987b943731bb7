import type { RunRecord } from './export';
import type { CsvTable } from '../data/csv';
import { requireColumn } from '../data/csv';
import { buildDataset, type ColumnRoles, type Dataset, type Example } from '../data/dataset';
import { makeLabelSpec, type LabelSpec } from '../data/labels';
import { stratifiedSplit } from '../data/split';
import { TabTuneError } from '../errors';
import type { TrainConfig } from './config';

export interface PreparedData {
  dataset: Dataset;
  validationDataset: Dataset | null;
  spec: LabelSpec;
  train: Example[];
  validation: Example[];
  test: Example[];
}

export const MIN_TRAIN_ROWS = 8;

/**
 * Columns checked, unusable rows listed, label spec fixed, and a seeded stratified split — or, with a
 * separate validation file, train/test from the data and validation from that file.
 */
export function prepareData(
  table: CsvTable,
  roles: ColumnRoles,
  file: string,
  config: TrainConfig,
  validation: { table: CsvTable; file: string } | null = null,
): PreparedData {
  const check = (t: CsvTable, f: string) => {
    requireColumn(t, roles.text, f);
    requireColumn(t, roles.label, f);
    if (roles.pair !== null) requireColumn(t, roles.pair, f);
  };
  check(table, file);
  if (validation) check(validation.table, validation.file);
  const dataset = buildDataset(table, roles, file);
  const validationDataset = validation ? buildDataset(validation.table, roles, validation.file) : null;
  if (dataset.examples.length < MIN_TRAIN_ROWS) {
    throw new TabTuneError(
      'data',
      `${file} has ${dataset.examples.length} usable row(s) (of ${dataset.examples.length + dataset.badRows.length}); TabTune needs at least ${MIN_TRAIN_ROWS}. ${dataset.badRows.length > 0 ? `First unusable: line ${dataset.badRows[0]!.line}, ${dataset.badRows[0]!.reason}.` : ''}`.trim(),
    );
  }
  const allRatings = [...dataset.examples, ...(validationDataset?.examples ?? [])].map((e) => e.rating);
  const spec = makeLabelSpec(config.task, allRatings, {
    ...(config.scale ? { scale: config.scale } : {}),
    ...(config.threshold !== null ? { threshold: config.threshold } : {}),
  });
  const ratings = dataset.examples.map((e) => e.rating);
  const pick = (idx: number[]) => idx.map((i) => dataset.examples[i] as Example);
  if (validationDataset) {
    if (validationDataset.examples.length === 0) {
      throw new TabTuneError('data', `${validation!.file} has no usable rows for validation.`);
    }
    const s = stratifiedSplit(ratings, { validation: 0, test: config.testFraction }, config.seed);
    return {
      dataset,
      validationDataset,
      spec,
      train: pick(s.train),
      validation: validationDataset.examples,
      test: pick(s.test),
    };
  }
  const s = stratifiedSplit(
    ratings,
    { validation: config.validationFraction, test: config.testFraction },
    config.seed,
  );
  if (s.validation.length === 0) {
    throw new TabTuneError(
      'data',
      `The validation split of ${file} is empty; raise the validation fraction or add rows.`,
    );
  }
  return {
    dataset,
    validationDataset,
    spec,
    train: pick(s.train),
    validation: pick(s.validation),
    test: pick(s.test),
  };
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
  };
}
