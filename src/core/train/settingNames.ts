import { SettingError } from '../errors';

/**
 * Each setting of a run by its place in TrainConfig ("learningRate", "lora.r"), and its name as the studio's form
 * labels it. A refused value names the setting by this key (SettingError), so that each surface can say it the way
 * its user set it: the studio by the field's label, the CLI by its flag (cli/runFlags.ts).
 */
export const SETTING_LABELS = {
  task: 'Task',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  gradAccumulation: 'Gradient accumulation',
  learningRate: 'Learning rate',
  maxLength: 'Max length',
  weightDecay: 'Weight decay',
  warmupRatio: 'Warmup ratio',
  maxGradNorm: 'Max gradient norm',
  dropout: 'Dropout',
  threshold: 'Positive threshold',
  scale: 'Rating scale',
  seed: 'Seed',
  evalsPerEpoch: 'Evaluations per epoch',
  'earlyStopping.patience': 'Early-stopping patience',
  'freeze.bottomLayers': 'Frozen bottom layers',
  freeze: 'Fine-tune (freezing)',
  validationFraction: 'Validation share',
  testFraction: 'Test share',
  'rowLimit.rows': 'Number of rows',
  'rowLimit.pick': 'Rows to use',
  lora: 'LoRA',
  'lora.r': 'LoRA rank r',
  'lora.alpha': 'LoRA alpha',
  'lora.dropout': 'LoRA dropout',
  'lora.targets': 'LoRA targets',
} as const;

export type SettingName = keyof typeof SETTING_LABELS;

/** Refuses a value of one setting (or a combination of several), naming each by its label. */
export function settingError(settings: SettingName | readonly SettingName[], rule: string): SettingError {
  const list = typeof settings === 'string' ? [settings] : settings;
  return new SettingError(
    list,
    rule,
    list.map((s) => SETTING_LABELS[s]),
  );
}
