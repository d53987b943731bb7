import { changesFromAuditFile, mergeChanges, type LabelChanges } from '../core/audit/changes';
import { TASKS, type Task } from '../core/data/labels';
import { readCsvFile } from './common';
import type { RowLimit } from '../core/data/rowLimit';
import { TabTuneError } from '../core/errors';
import { DEFAULT_LORA, validateLora, type LoraConfig } from '../core/model/lora';
import { DEFAULT_TRAIN_CONFIG, validateTrainConfig, type TrainConfig } from '../core/train/config';
import type { RecipeField } from '../core/train/recipe';
import type { SettingName } from '../core/train/settingNames';
import { number, parseFlags, positiveInt, ratingScale, required, wholeNumber } from './values';

const D = DEFAULT_TRAIN_CONFIG;

/**
 * One flag of `train`, `baseline` and `lr-find`, declared once: how the usage shows it, and how its text sets the
 * run's settings (a switch: its presence). Flags without `set` name files and columns (read in `runFlags`).
 */
interface RunFlag {
  name: string;
  /** The value as the usage shows it (a placeholder, or the default); none for a switch. */
  shown?: string;
  /** Whether the command line must give it (shown outside brackets). */
  required?: boolean;
  /** The run setting it sets: a refused value of that setting names this flag. */
  setting?: SettingName;
  set?: (c: TrainConfig, v: string) => void;
  on?: (c: TrainConfig) => void;
}

/** Every run flag, in the order the usage lists them. */
export const RUN_FLAG_LIST: readonly RunFlag[] = [
  { name: 'model', shown: '<dir | hf-id | scratch>', required: true },
  { name: 'data', shown: '<csv>', required: true },
  { name: 'text-column', shown: '<c>', required: true },
  { name: 'label-column', shown: '<c>', required: true },
  { name: 'out', shown: '<dir>', required: true },
  { name: 'text-pair-column', shown: '<c>' },
  { name: 'label-columns', shown: '<a,b,…>' },
  { name: 'label-separator', shown: '<sep>' },
  { name: 'task', setting: 'task', shown: TASKS.join('|'), set: (c, v) => (c.task = task(v)) },
  { name: 'val-data', shown: '<csv>' },
  { name: 'epochs', setting: 'epochs', shown: '<n>', set: (c, v) => (c.epochs = positiveInt(v, '--epochs')) },
  {
    name: 'batch-size',
    setting: 'batchSize',
    shown: `${D.batchSize}`,
    set: (c, v) => (c.batchSize = positiveInt(v, '--batch-size')),
  },
  {
    name: 'lr',
    setting: 'learningRate',
    shown: '<rate>',
    set: (c, v) => (c.learningRate = number(v, 0, '--lr')),
  },
  {
    name: 'max-length',
    setting: 'maxLength',
    shown: `${D.maxLength}`,
    set: (c, v) => (c.maxLength = positiveInt(v, '--max-length')),
  },
  {
    name: 'seed',
    setting: 'seed',
    shown: `${D.seed}`,
    set: (c, v) => (c.seed = wholeNumber(v, 0, '--seed')),
  },
  {
    name: 'weight-decay',
    setting: 'weightDecay',
    shown: `${D.weightDecay}`,
    set: (c, v) => (c.weightDecay = number(v, 0, '--weight-decay')),
  },
  {
    name: 'warmup',
    setting: 'warmupRatio',
    shown: `${D.warmupRatio}`,
    set: (c, v) => (c.warmupRatio = number(v, 0, '--warmup')),
  },
  {
    name: 'max-grad-norm',
    setting: 'maxGradNorm',
    shown: `${D.maxGradNorm}`,
    set: (c, v) => (c.maxGradNorm = number(v, 0, '--max-grad-norm')),
  },
  {
    name: 'grad-accum',
    setting: 'gradAccumulation',
    shown: `${D.gradAccumulation}`,
    set: (c, v) => (c.gradAccumulation = positiveInt(v, '--grad-accum')),
  },
  {
    name: 'dropout',
    setting: 'dropout',
    shown: '<p>',
    set: (c, v) => (c.dropout = number(v, 0, '--dropout')),
  },
  {
    name: 'patience',
    setting: 'earlyStopping.patience',
    shown: `${D.earlyStopping.patience}`,
    set: (c, v) => (c.earlyStopping = { ...c.earlyStopping, patience: wholeNumber(v, 0, '--patience') }),
  },
  {
    name: 'early-stop-on',
    shown: 'auc|loss',
    set: (c, v) => (c.earlyStopping = { ...c.earlyStopping, metric: stopMetric(v) }),
  },
  {
    name: 'evals-per-epoch',
    setting: 'evalsPerEpoch',
    shown: `${D.evalsPerEpoch}`,
    set: (c, v) => (c.evalsPerEpoch = positiveInt(v, '--evals-per-epoch')),
  },
  {
    name: 'threshold',
    setting: 'threshold',
    shown: '<rating>',
    set: (c, v) => (c.threshold = number(v, 0, '--threshold')),
  },
  { name: 'scale', setting: 'scale', shown: '1-5', set: (c, v) => (c.scale = ratingScale(v)) },
  {
    name: 'val-fraction',
    setting: 'validationFraction',
    shown: `${D.validationFraction}`,
    set: (c, v) => (c.validationFraction = number(v, 0, '--val-fraction')),
  },
  {
    name: 'test-fraction',
    setting: 'testFraction',
    shown: `${D.testFraction}`,
    set: (c, v) => (c.testFraction = number(v, 0, '--test-fraction')),
  },
  { name: 'freeze-embeddings', on: (c) => (c.freeze = { ...c.freeze, embeddings: true }) },
  {
    name: 'freeze-layers',
    setting: 'freeze.bottomLayers',
    shown: '<n>',
    set: (c, v) => (c.freeze = { ...c.freeze, bottomLayers: wholeNumber(v, 0, '--freeze-layers') }),
  },
  { name: 'head-only', on: (c) => (c.freeze = { ...c.freeze, headOnly: true }) },
  { name: 'no-length-groups', on: (c) => (c.groupByLength = false) },
  { name: 'no-classical', on: (c) => (c.classicalBaseline = false) },
  { name: 'group-column', shown: '<c>' },
  { name: 'slice-column', shown: '<c>' },
  { name: 'group-split', on: (c) => (c.groupSplit = true) },
  { name: 'max-rows', setting: 'rowLimit.rows', shown: '<n>' },
  { name: 'row-pick', setting: 'rowLimit.pick', shown: 'random|first' },
  {
    name: 'lora',
    setting: 'lora',
    shown: 'r=8,alpha=16,dropout=0.05,targets=query+value[,rslora]',
    set: (c, v) => (c.lora = loraFlag(v)),
  },
  { name: 'exclude', shown: '<flagged.csv>' },
  { name: 'relabel', shown: '<flagged.csv>' },
  { name: 'above', shown: '<suspicion>' },
  { name: 'revision', shown: 'main' },
];

/**
 * How the command line names a setting: by its flag ("--lr"); LoRA's parts as parts of --lora ("--lora r"); the
 * freezing switches together.
 */
export function flagOf(setting: string): string | undefined {
  if (setting.startsWith('lora.')) return `--lora ${setting.slice('lora.'.length)}`;
  if (setting === 'freeze') return '--head-only, --freeze-embeddings or --freeze-layers';
  const flag = RUN_FLAG_LIST.find((f) => f.setting === setting);
  return flag && `--${flag.name}`;
}

/** The run flags as node:util's parseArgs takes them. */
export const RUN_FLAGS = Object.fromEntries(
  RUN_FLAG_LIST.map((f) => [f.name, f.on ? { type: 'boolean' as const } : { type: 'string' as const }]),
) as Record<string, { type: 'string' } | { type: 'boolean' }>;

/** The flags as the usage lists them: the required ones, then each optional one in brackets, wrapped. */
export function runFlagUsage(indent: string, width = 110): { required: string; optional: string } {
  const show = (f: RunFlag) => `--${f.name}${f.shown ? ` ${f.shown}` : ''}`;
  const lines: string[] = [];
  for (const f of RUN_FLAG_LIST.filter((f) => !f.required)) {
    const part = `[${show(f)}]`;
    const last = lines.at(-1);
    if (last !== undefined && indent.length + last.length + 1 + part.length <= width)
      lines[lines.length - 1] = `${last} ${part}`;
    else lines.push(part);
  }
  return {
    required: RUN_FLAG_LIST.filter((f) => f.required)
      .map(show)
      .join(' '),
    optional: lines.map((l) => `${indent}${l}`).join('\n'),
  };
}

function task(v: string): Task {
  if (!TASKS.includes(v as Task))
    throw new TabTuneError('usage', `--task must be one of ${TASKS.join(', ')}, got "${v}".`);
  return v as Task;
}

function stopMetric(v: string): 'auc' | 'loss' {
  if (v !== 'auc' && v !== 'loss')
    throw new TabTuneError('usage', `--early-stop-on must be auc or loss, got "${v}".`);
  return v;
}

/**
 * `--lora r=8,alpha=16,dropout=0.05,targets=query+value,rslora` (every part optional; `--lora default` for PEFT's
 * usual r 8, alpha 16 on query and value).
 */
export function loraFlag(text: string): LoraConfig {
  const lora = { ...DEFAULT_LORA };
  if (text.trim() === '' || text.trim() === 'default') return lora;
  for (const part of text.split(',').map((p) => p.trim())) {
    const [key, value] = part.split('=') as [string, string | undefined];
    const num = () => {
      const n = Number(value);
      if (value === undefined || value === '' || !Number.isFinite(n))
        throw new TabTuneError('usage', `--lora ${key} needs a number, e.g. ${key}=${lora[key as 'r']}.`);
      return n;
    };
    if (key === 'r') lora.r = num();
    else if (key === 'alpha') lora.alpha = num();
    else if (key === 'dropout') lora.dropout = num();
    else if (key === 'targets') lora.targets = (value ?? '').split('+').filter((t) => t !== '');
    else if (key === 'rslora') lora.rslora = value === undefined || value === 'true';
    else
      throw new TabTuneError(
        'usage',
        `--lora does not know "${key}"; it takes r=, alpha=, dropout=, targets=a+b and rslora (e.g. --lora r=8,alpha=16,targets=query+value).`,
      );
  }
  return validateLora(lora);
}

/**
 * `--exclude flagged.csv` / `--relabel flagged.csv` (a label audit's output, edited or not) with `--above 0.9`: the
 * rows at or above that suspicion left out of training, or given their "suggested" rating (every row without it).
 */
export function labelChangeFlags(
  exclude: string | undefined,
  relabel: string | undefined,
  above: string | undefined,
): LabelChanges | null {
  if (exclude === undefined && relabel === undefined) {
    if (above !== undefined)
      throw new TabTuneError('usage', '--above needs --exclude <flagged.csv> or --relabel <flagged.csv>.');
    return null;
  }
  const cut = above === undefined ? null : number(above, 0, '--above');
  if (cut !== null && !(cut >= 0 && cut <= 1))
    throw new TabTuneError('usage', `--above is a suspicion between 0 and 1 (got ${above}).`);
  const read = (file: string | undefined, flag: string, action: 'exclude' | 'relabel') =>
    file === undefined ? null : changesFromAuditFile(readCsvFile(file, flag), file, action, cut);
  return mergeChanges(read(exclude, '--exclude', 'exclude'), read(relabel, '--relabel', 'relabel'));
}

function rowLimitFlags(maxRows: string | undefined, pick: string | undefined): RowLimit | null {
  if (maxRows === undefined) {
    if (pick !== undefined) throw new TabTuneError('usage', '--row-pick needs --max-rows <n>.');
    return null;
  }
  const p = pick ?? 'random';
  if (p !== 'random' && p !== 'first')
    throw new TabTuneError('usage', `--row-pick must be random or first, got "${p}".`);
  return { rows: positiveInt(maxRows, '--max-rows'), pick: p };
}

/** The flags `train`, `baseline` and `lr-find` share, checked, and the command's own (`extra`), unchecked. */
export function runFlags(rest: string[], extra: Record<string, { type: 'string' }> = {}) {
  const { values } = parseFlags({ args: rest, options: { ...RUN_FLAGS, ...extra } });
  const v = values as Record<string, string | boolean | undefined>;
  const text = (name: string) => v[name] as string | undefined;
  const config: TrainConfig = structuredClone(D);
  for (const f of RUN_FLAG_LIST) {
    const value = v[f.name];
    if (f.on && value === true) f.on(config);
    else if (f.set && typeof value === 'string') f.set(config, value);
  }
  config.rowLimit = rowLimitFlags(text('max-rows'), text('row-pick'));
  config.labelChanges = labelChangeFlags(text('exclude'), text('relabel'), text('above'));
  validateTrainConfig(config); // every command that takes these flags, before any file is read
  const args = {
    revision: text('revision') ?? 'main',
    data: required(text('data'), '--data'),
    valData: text('val-data') ?? null,
    textColumn: required(text('text-column'), '--text-column'),
    pairColumn: text('text-pair-column') ?? null,
    ...labelFlags(text('label-column'), text('label-columns'), text('label-separator')),
    groupColumn: text('group-column') ?? null,
    sliceColumn: text('slice-column') ?? null,
    config,
    setByUser: setByUser(text('lr'), text('epochs')),
  };
  return { v: v as Record<string, string | undefined>, args };
}

/**
 * Where the labels are: one column (a rating, or with --label-separator a column of tags), or several 0/1 columns
 * (--label-columns a,b,c; the multi-label task).
 */
export function labelFlags(
  column: string | undefined,
  columns: string | undefined,
  separator: string | undefined,
) {
  if (columns !== undefined) {
    if (column !== undefined)
      throw new TabTuneError(
        'usage',
        'Give --label-column (one column) or --label-columns (several 0/1 columns), not both.',
      );
    if (separator !== undefined)
      throw new TabTuneError(
        'usage',
        '--label-separator splits one column of tags (--label-column); several 0/1 columns (--label-columns) need none.',
      );
    const list = columns.split(',').map((c) => c.trim());
    if (list.some((c) => c === ''))
      throw new TabTuneError(
        'usage',
        `--label-columns "${columns}" has an empty name. Separate the columns with commas.`,
      );
    return { labelColumn: list[0] as string, labelColumns: list, labelSeparator: null };
  }
  return {
    labelColumn: required(column, '--label-column'),
    labelColumns: null,
    labelSeparator: separator ?? null,
  };
}

/** Which of the recipe's settings the command line gave (train/recipe.ts fills the others). */
function setByUser(lr: string | undefined, epochs: string | undefined): Set<RecipeField> {
  const fields: RecipeField[] = [];
  if (lr !== undefined) fields.push('learningRate');
  if (epochs !== undefined) fields.push('epochs');
  return new Set(fields);
}
