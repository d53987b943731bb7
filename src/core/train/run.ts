import { EncodedRows } from '../tokenizer/encodedRows';
import { sliceReport, weakSlices, type SliceReport } from '../metrics/slices';
import { missingAdapterReason } from './adapter';
import {
  classicalOutcome,
  compareWithClassical,
  describeOutcome,
  type ClassicalOutcome,
} from '../baseline/classical';
import type { LoadedCheckpoint } from '../checkpoint/load';
import type { CsvTable } from '../data/csv';
import { exampleText, type ColumnRoles, type Example } from '../data/dataset';
import { numLabels, type Prediction } from '../data/labels';
import { TabTuneError } from '../errors';
import { effectiveMaxLength } from './fineTuned';
import { SequenceClassifier } from '../model/classifier';
import { checkLoraFits, LoraWeights, loraScaling } from '../model/lora';
import { loraParameterCount, parameterCount, trainableParameterCount } from '../model/memory';
import { scratchCheckpoint } from '../model/scratch';
import { validateTrainConfig, type TrainConfig } from './config';
import { predictAll, type EvalMetrics } from './evaluate';
import type { RunRecord } from './record';
import { labelSpecFromConfig } from './export';
import { dataRecord, describeData, prepareData, type PreparedData } from './prepare';
import { dataFingerprint, type RunState, type TrainState } from './runState';
import { planSchedule } from './schedule';
import type { RunControl } from './control';
import { train } from './trainer';
import type { TrainerEvents } from './trainEvents';
import {
  findLearningRate,
  LR_FINDER,
  type LrFinderOptions,
  type LrFinderResult,
  type LrPoint,
} from './lrFinder';

/**
 * One training run, the same in the studio's Worker and the CLI: prepare the data, resolve the base
 * model, build the classifier, train, and build the run record that travels with the export. Later
 * features (resume, LoRA, the classical baseline) plug in here, once.
 */
export type BaseModel = { kind: 'scratch' } | { kind: 'checkpoint'; checkpoint: LoadedCheckpoint };

export interface NamedTable {
  table: CsvTable;
  file: string;
}

/**
 * A run's events: the trainer's, the classical baseline's outcome (once, before training), and the run's saved
 * state (after each evaluation, and every `saveStateEvery` seconds) for the caller to write where it keeps them.
 */
export interface RunEvents extends Omit<TrainerEvents, 'saveTrainState'> {
  classical?(outcome: ClassicalOutcome): void;
  saveState?(state: RunState): Promise<void> | void;
  /** A resumed run's saved state, once it is known to fit the data and the model (before training goes on). */
  resumed?(state: RunState): void;
}

export interface RunRequest {
  data: NamedTable;
  /** A separate validation file (the CLI's --val-data); null: split validation off the data. */
  validation: NamedTable | null;
  roles: ColumnRoles;
  config: TrainConfig;
  base: BaseModel;
  backend: string;
  /** How the backend was chosen (measured, by hand), one sentence; kept in the record and the model card. */
  backendDecision?: string | null;
  events?: RunEvents;
  control?: RunControl;
  /** A saved state to go on from: its own settings replace `config`; the data and base model must be its own. */
  resume?: RunState | null;
  /** Seconds between time-based saves of the state (besides one after each evaluation). */
  saveStateEvery?: number;
  /** Kept in the saved state as given: what the caller needs to start the run again (the CLI's arguments). */
  caller?: Record<string, unknown>;
  /** End the run after this many steps (a settings search's winner whose time ran out before its full budget). */
  endAt?: number;
}

export interface FinishedRun {
  /** The trained model: the caller owns it (and disposes it). */
  model: SequenceClassifier;
  checkpoint: LoadedCheckpoint;
  data: PreparedData;
  record: RunRecord & { result: NonNullable<RunRecord['result']> };
}

/** The texts a scratch vocabulary is learned from: both segments of every training example. */
export function scratchTexts(examples: readonly Example[]): string[] {
  return examples.map(exampleText);
}

/** What every run starts from: the prepared data, the base checkpoint and the settings it runs with. */
export interface PreparedRun {
  data: PreparedData;
  checkpoint: LoadedCheckpoint;
  config: TrainConfig;
}

/** Prepare the data, resolve the base model and cap the max length (logged): the same for training and the LR finder. */
export function prepareRun(req: RunRequest): PreparedRun {
  const asked = validateTrainConfig(req.config);
  const requested =
    req.base.kind === 'checkpoint' ? continuing(req.base.checkpoint, asked, req.events) : asked;
  // Every name and count the record keeps is read now: nothing that changes during the run can alter it.
  const file = req.data.file;
  const data = prepareData(req.data.table, req.roles, file, requested, req.validation);
  for (const line of describeData(data, file)) req.events?.log?.(line);
  const checkpoint =
    req.base.kind === 'scratch' ? scratchCheckpoint(scratchTexts(data.train)) : req.base.checkpoint;
  const maxLength = effectiveMaxLength(requested.maxLength, checkpoint);
  if (maxLength < requested.maxLength) {
    req.events?.log?.(
      `Max length ${requested.maxLength} is more than ${checkpoint.source} takes; using ${maxLength} tokens.`,
    );
  }
  return { data, checkpoint, config: { ...requested, maxLength } };
}

/**
 * Training a TabTune export further ("retrain as new ratings arrive"): its head maps outputs to ratings on its own
 * task and scale, so the run keeps them — the scale and threshold are the export's unless set, and another task
 * or scale is refused. Any other checkpoint passes through unchanged.
 */
export function continuing(
  checkpoint: LoadedCheckpoint,
  config: TrainConfig,
  events?: RunEvents,
): TrainConfig {
  if (checkpoint.rawConfig.tabtune === undefined) return config;
  const { spec } = labelSpecFromConfig(checkpoint.rawConfig, checkpoint.source);
  const was = `${checkpoint.source} was fine-tuned by TabTune for ${spec.task} on ratings ${spec.scale.min}–${spec.scale.max}`;
  const fix = `Keep its task and scale to train it further, or start from the model it was fine-tuned from.`;
  if (config.task !== spec.task)
    throw new TabTuneError('config', `${was}; this run asks for ${config.task}. ${fix}`);
  if (config.scale && (config.scale.min !== spec.scale.min || config.scale.max !== spec.scale.max)) {
    throw new TabTuneError(
      'config',
      `${was}; this run's scale is ${config.scale.min}–${config.scale.max}. ${fix}`,
    );
  }
  events?.log?.(
    `Continuing the fine-tuning of ${checkpoint.source} (${spec.task}, ratings ${spec.scale.min}–${spec.scale.max}): its head, scale and threshold are kept.`,
  );
  return { ...config, scale: spec.scale, threshold: config.threshold ?? spec.threshold };
}

export function classifierFor(
  { data, checkpoint, config }: PreparedRun,
  req: Pick<RunRequest, 'events' | 'backend'>,
): SequenceClassifier {
  // The label changes' lines are in training_config.json; the log says what they did (describeData).
  const { labelChanges, ...shown } = config;
  req.events?.log?.(
    `settings: ${JSON.stringify(labelChanges ? { ...shown, labelChanges: labelChanges.source } : config)}`,
  );
  req.events?.log?.(
    `model: ${checkpoint.source} (${checkpoint.config.num_hidden_layers} layers, hidden ${checkpoint.config.hidden_size}); backend: ${req.backend}`,
  );
  if (config.lora) checkLoraFits(checkpoint.config, config.lora); // before any tensor is made
  const model = new SequenceClassifier(
    checkpoint.config,
    checkpoint.weights,
    numLabels(data.spec),
    config.seed,
  );
  if (config.lora) {
    model.bert.lora = LoraWeights.init(checkpoint.config, config.lora, config.seed);
    const n = (x: number) => x.toLocaleString('en-US');
    const labels = numLabels(data.spec);
    const all =
      parameterCount(checkpoint.config, labels) + loraParameterCount(checkpoint.config, config.lora);
    const trainable = trainableParameterCount(checkpoint.config, labels, {
      lora: config.lora,
      headOnly: false,
    });
    req.events?.log?.(
      `LoRA: r ${config.lora.r}, alpha ${config.lora.alpha} (scaling ${loraScaling(config.lora)}) on ${model.bert.lora.params.size / 2} layers (${config.lora.targets.join(', ')}); ${n(trainable)} of ${n(all)} parameters train.`,
    );
  }
  return model;
}

export async function runTraining(request: RunRequest): Promise<FinishedRun> {
  const req = request.resume ? { ...request, config: request.resume.config } : request;
  const prepared = prepareRun(req);
  const { data, checkpoint, config } = prepared;
  const fingerprint = dataFingerprint(req.roles, [data.train, data.validation, data.test]);
  if (req.resume) {
    checkResumable(req.resume, fingerprint, checkpoint.source, req.data.file);
    req.events?.resumed?.(req.resume);
  }
  const classical = req.resume
    ? req.resume.classical
    : await classicalOutcome(data.spec, data, config.classicalBaseline);
  req.events?.log?.(describeOutcome(classical));
  req.events?.classical?.(classical);
  const model = classifierFor(prepared, req);
  const createdAt = req.resume?.createdAt ?? new Date().toISOString();
  const saveState = req.events?.saveState;
  const totalSteps = planSchedule(data.train.length, config).totalSteps;
  const runState = (train: TrainState): RunState => ({
    config,
    roles: req.roles,
    fingerprint,
    dataFile: req.data.file,
    baseModel: checkpoint.source,
    totalSteps,
    classical,
    createdAt,
    savedAt: new Date().toISOString(),
    caller: req.caller ?? {},
    train,
  });
  try {
    const result = await train({
      model,
      tokenizer: checkpoint.tokenizer,
      config,
      spec: data.spec,
      train: data.train,
      validation: data.validation,
      test: data.test,
      events: { ...req.events, ...(saveState ? { saveTrainState: (t) => saveState(runState(t)) } : {}) },
      control: req.control,
      resume: req.resume?.train ?? null,
      ...(req.saveStateEvery === undefined ? {} : { saveStateEvery: req.saveStateEvery }),
      ...(req.endAt === undefined ? {} : { endAt: req.endAt }),
    });
    const { finalScores, ...kept } = result;
    const comparison = compareWithClassical(data.spec, data, finalScores, classical);
    const slices = slicesOf(req.roles, data, finalScores, kept.final);
    for (const line of slices ? weakSlices(slices) : []) req.events?.log?.(`weak slice: ${line}`);
    const record = {
      baseModel: checkpoint.source,
      roles: req.roles,
      trainConfig: config,
      spec: data.spec,
      data: dataRecord(data, req.data.file),
      result: kept,
      classical: withoutScores(classical),
      comparison,
      ...(slices ? { slices } : {}),
      backend: req.backend,
      ...(req.backendDecision ? { backendDecision: req.backendDecision } : {}),
      createdAt,
    };
    const noAdapter = missingAdapterReason(record);
    if (noAdapter) req.events?.log?.(noAdapter);
    return { model, checkpoint, data, record };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** The outcome as the record keeps it: the row scores serve the comparison and the saved state, not the record. */
function withoutScores(outcome: ClassicalOutcome): ClassicalOutcome {
  if (!outcome.fitted) return outcome;
  const { scores: _scores, ...result } = outcome.result;
  return { fitted: true, result };
}

/** A saved run goes on only with its own data (by fingerprint) and its own base model. */
function checkResumable(saved: RunState, fingerprint: string, baseModel: string, file: string): void {
  if (saved.fingerprint !== fingerprint) {
    throw new TabTuneError(
      'data',
      `${file} is not the data the saved run was trained on (${saved.dataFile}, fingerprint ${saved.fingerprint}; this is ${fingerprint}): a row, the columns or the file differ. Load ${saved.dataFile} as it was, or start a new run.`,
    );
  }
  if (saved.baseModel !== baseModel) {
    throw new TabTuneError(
      'checkpoint',
      `The saved run was fine-tuning ${saved.baseModel}, not ${baseModel}. Load ${saved.baseModel} to resume it, or start a new run.`,
    );
  }
}

/**
 * The learning-rate range test on the run's data and model (`lrFinder.ts`): the same preparation and classifier
 * as `runTraining`, a short sweep over training batches, and nothing kept — the classifier is disposed.
 */
export async function runLrFinder(
  req: RunRequest,
  options: LrFinderOptions = LR_FINDER,
  onPoint?: (p: LrPoint) => void,
): Promise<LrFinderResult> {
  const result = await lrFinderOn(prepareRun(req), req, options, onPoint);
  req.events?.log?.(result.reason);
  return result;
}

/** The LR range test on a run already prepared (a settings search's first step). */
export async function lrFinderOn(
  prepared: PreparedRun,
  req: Pick<RunRequest, 'backend' | 'control' | 'events'>,
  options: LrFinderOptions = LR_FINDER,
  onPoint?: (p: LrPoint) => void,
): Promise<LrFinderResult> {
  const model = classifierFor(prepared, req);
  try {
    return await findLearningRate({
      model,
      tokenizer: prepared.checkpoint.tokenizer,
      config: prepared.config,
      spec: prepared.data.spec,
      train: prepared.data.train,
      options,
      ...(onPoint ? { onPoint } : {}),
      ...(req.control ? { control: req.control } : {}),
    });
  } finally {
    model.dispose();
  }
}

/** Held-out rows with their predictions: the test split, or validation when there is no test split. */
export async function scoreHeldOut(
  run: FinishedRun,
  limit: number,
): Promise<{ split: 'test' | 'validation'; examples: Example[]; predictions: Prediction[] }> {
  const split = run.data.test.length > 0 ? 'test' : 'validation';
  const examples = run.data[split].slice(0, limit);
  const tokenizer = run.checkpoint.tokenizer;
  const encoded = EncodedRows.encode(tokenizer, examples, run.record.trainConfig.maxLength);
  const predictions = await predictAll(run.model, run.data.spec, encoded, tokenizer.padId, 32);
  return { split, examples, predictions };
}

/** The held-out metrics per slice (the test split, or validation without one), when the roles name a slice column. */
function slicesOf(
  roles: ColumnRoles,
  data: PreparedData,
  scores: { validation: number[]; test: number[] | null },
  final: { validation: EvalMetrics; test: EvalMetrics | null },
): SliceReport | null {
  if (!roles.slice) return null;
  const split = data.test.length > 0 && scores.test ? 'test' : 'validation';
  const rows = data[split].map((e) => ({ rating: e.rating, slice: e.slice ?? '' }));
  return sliceReport(
    roles.slice,
    split,
    rows,
    scores[split]!,
    data.spec.threshold,
    final[split]?.auc ?? null,
  );
}
