import type { LabelChanges } from '../audit/changes';
import type { RatingScale, Task } from '../data/labels';
import type { RowLimit } from '../data/rowLimit';
import { validateLora, type LoraConfig } from '../model/lora';
import { settingError, type SettingName } from './settingNames';

/**
 * Everything that defines a fine-tuning run. Edited in the studio's forms, sent to the Worker in
 * `start`, printed by the CLI, and saved as training_config.json beside the exported weights.
 */
export interface TrainConfig {
  task: Task;
  /** Ratings ≥ threshold count as positive (AUC, binary task). null: top quarter of the scale (4 on 1–5). */
  threshold: number | null;
  /** null: detected from the data. */
  scale: RatingScale | null;
  maxLength: number;
  batchSize: number;
  /** Micro-batches per optimizer step (effective batch = batchSize × gradAccumulation). */
  gradAccumulation: number;
  /** Batches of texts of similar length (as Hugging Face's group_by_length, the batches then shuffled: `buckets.ts`). */
  groupByLength: boolean;
  epochs: number;
  learningRate: number;
  weightDecay: number;
  /** Fraction of optimizer steps spent warming the learning rate up from 0. */
  warmupRatio: number;
  /** Clip the global gradient norm to this (0: no clipping). */
  maxGradNorm: number;
  /** Dropout for hidden states, attention and the head. null: the checkpoint's own (0.1 for BERT). */
  dropout: number | null;
  seed: number;
  validationFraction: number;
  testFraction: number;
  /** Evaluate on the validation set this many times per epoch. */
  evalsPerEpoch: number;
  earlyStopping: { metric: 'auc' | 'loss'; patience: number };
  freeze: { embeddings: boolean; bottomLayers: number; headOnly: boolean };
  /** Keep each group's rows (the group column's user or item id) in one split: no leakage between them. */
  groupSplit: boolean;
  /** Fit the classical baseline (TF-IDF + a linear model) on the same split before fine-tuning. */
  classicalBaseline: boolean;
  /** Use part of a large file: its first rows or a random sample. null: every row. */
  rowLimit: RowLimit | null;
  /** Fine-tune with LoRA: the base weights stay frozen, low-rank updates and the head train. null: no LoRA. */
  lora: LoraConfig | null;
  /** Rows left out or relabelled after a label audit (core/audit/changes.ts); the data file is never modified. */
  labelChanges: LabelChanges | null;
}

/** Defaults that work for Google's BERT miniatures without tuning (their README's grid: lr 1e-4…3e-4, 4 epochs). */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  task: 'regression',
  threshold: null,
  scale: null,
  maxLength: 128,
  batchSize: 32,
  gradAccumulation: 1,
  groupByLength: true,
  epochs: 4,
  learningRate: 1e-4,
  weightDecay: 0.01,
  warmupRatio: 0.1,
  maxGradNorm: 1.0,
  dropout: null,
  seed: 42,
  validationFraction: 0.1,
  testFraction: 0.1,
  evalsPerEpoch: 2,
  earlyStopping: { metric: 'auc', patience: 3 },
  freeze: { embeddings: false, bottomLayers: 0, headOnly: false },
  groupSplit: false,
  classicalBaseline: true,
  rowLimit: null,
  lora: null,
  labelChanges: null,
};

/** One line of help per setting, shown beside the studio's form fields. */
export const TRAIN_CONFIG_HELP: Record<string, string> = {
  task: 'regression predicts the rating; classification picks one rating class; binary predicts rating ≥ threshold',
  maxLength: 'tokens per example, [CLS] and [SEP] included; longer texts are cut',
  batchSize: 'examples per step; larger is faster per example but needs more memory',
  groupByLength:
    'batches of texts of similar length (sorted within groups of 50 batches, the batches then shuffled): less padding, so faster, at the same accuracy (docs/defaults.md)',
  epochs: 'passes over the training data',
  learningRate:
    "step size of AdamW; the model's recipe (above) sets it until you change it: 1e-3 from scratch, 1e-4 for BERT miniatures, 3e-5 for BERT-base",
  weightDecay: 'pulls weights toward 0 against overfitting (not applied to biases and LayerNorm)',
  warmupRatio: 'share of steps at the start over which the learning rate rises from 0',
  maxGradNorm: 'clips large gradient steps; 0 turns clipping off',
  dropout: 'randomly drops activations while training, against overfitting',
  seed: 'same seed, same split and same run',
  earlyStopping: 'stop when validation has not improved for this many evaluations, and keep the best weights',
  groupSplit:
    "each user's (or item's) rows go to one split, so validation and test measure groups the model never saw in training",
  classicalBaseline:
    'first fit TF-IDF + a linear model (ridge or logistic regression) on the same split in seconds: the score the fine-tuned BERT must beat',
  rowLimit:
    'train on part of a large file: its first rows, or a random sample (the same rows for the same seed); blank: every row',
  lora: 'LoRA trains small low-rank updates of the chosen layers and the head; the base weights stay frozen (far less optimizer memory; PEFT loads the adapter)',
  freeze: 'train fewer weights: the embeddings, the bottom layers, or only the head (helps with little data)',
};

/** Checks every setting's range; a value out of it is refused naming its setting (SettingError). */
export function validateTrainConfig(c: TrainConfig): TrainConfig {
  const bad = (setting: SettingName | SettingName[], rule: string): never => {
    throw settingError(setting, rule);
  };
  const posInt = (v: number, setting: SettingName) =>
    (Number.isInteger(v) && v >= 1) || bad(setting, `must be a whole number ≥ 1 (got ${v}).`);
  posInt(c.batchSize, 'batchSize');
  posInt(c.gradAccumulation, 'gradAccumulation');
  posInt(c.epochs, 'epochs');
  posInt(c.evalsPerEpoch, 'evalsPerEpoch');
  if (!(Number.isInteger(c.maxLength) && c.maxLength >= 4))
    bad('maxLength', `must be a whole number ≥ 4 (got ${c.maxLength}).`);
  if (!(c.learningRate > 0 && c.learningRate < 1))
    bad('learningRate', `must be > 0 and < 1 (got ${c.learningRate}).`);
  if (!(c.weightDecay >= 0 && c.weightDecay < 1))
    bad('weightDecay', `must be ≥ 0 and < 1 (got ${c.weightDecay}).`);
  if (!(c.warmupRatio >= 0 && c.warmupRatio < 1))
    bad('warmupRatio', `must be ≥ 0 and < 1 (got ${c.warmupRatio}).`);
  if (!(c.maxGradNorm >= 0))
    bad('maxGradNorm', `must be ≥ 0, 0 turning clipping off (got ${c.maxGradNorm}).`);
  if (c.dropout !== null && !(c.dropout >= 0 && c.dropout < 1))
    bad('dropout', `must be ≥ 0 and < 1 (got ${c.dropout}).`);
  if (!Number.isInteger(c.seed) || c.seed < 0) bad('seed', `must be a whole number ≥ 0 (got ${c.seed}).`);
  if (!(c.validationFraction > 0 && c.validationFraction < 1))
    bad(
      'validationFraction',
      `must be > 0 and < 1 (got ${c.validationFraction}): evaluation, the best-weights choice and early stopping need validation rows. To validate on a separate file, give it (--val-data in the CLI).`,
    );
  if (!(c.testFraction >= 0 && c.testFraction < 1))
    bad('testFraction', `must be ≥ 0 and < 1 (got ${c.testFraction}).`);
  if (!(c.validationFraction + c.testFraction < 1))
    bad(
      ['validationFraction', 'testFraction'],
      `must add up to less than 1, to leave rows to train on (got ${c.validationFraction} + ${c.testFraction}).`,
    );
  if (!(Number.isInteger(c.earlyStopping.patience) && c.earlyStopping.patience >= 0))
    bad(
      'earlyStopping.patience',
      `must be a whole number ≥ 0, 0 turning it off (got ${c.earlyStopping.patience}).`,
    );
  if (!(Number.isInteger(c.freeze.bottomLayers) && c.freeze.bottomLayers >= 0))
    bad('freeze.bottomLayers', `must be a whole number ≥ 0 (got ${c.freeze.bottomLayers}).`);
  if (c.lora !== null) {
    validateLora(c.lora);
    if (c.freeze.headOnly || c.freeze.embeddings || c.freeze.bottomLayers > 0)
      bad(
        ['lora', 'freeze'],
        'cannot be combined: LoRA already freezes every base weight. Turn the freezing off.',
      );
  }
  if (c.rowLimit !== null) {
    posInt(c.rowLimit.rows, 'rowLimit.rows');
    if (c.rowLimit.pick !== 'first' && c.rowLimit.pick !== 'random')
      bad('rowLimit.pick', `must be "first" or "random" (got ${JSON.stringify(c.rowLimit.pick)}).`);
  }
  return c;
}
