import * as tf from '@tensorflow/tfjs';
import { groupsOf, type Example } from '../data/dataset';
import { exampleTarget, type LabelSpec, type Target } from '../data/labels';
import { TabTuneError } from '../errors';
import type { SequenceClassifier } from '../model/classifier';
import { dropoutRates } from '../model/dropout';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import { EncodedRows } from '../tokenizer/encodedRows';
import { AdamW, assignAll, DEFAULT_ADAMW, readAll } from './adamw';
import { BestWeights } from './bestWeights';
import type { TrainConfig } from './config';
import { epochOrders, paddedShare } from './buckets';
import { EarlyStopper, type StopMetric } from './earlyStopping';
import {
  evaluateSplit,
  labelThresholds,
  type EvalMetrics,
  type EvalPoint,
  type Phase,
  type RowScores,
} from './evaluate';
import { ProgressMeter, type ProgressPoint } from './progress';
import { evaluatesAfter, planLr, planSchedule, type SchedulePlan } from './schedule';
import type { TrainState } from './runState';
import { LossReader, OptimizerStep } from './step';
import { stepBatches } from './stepBatches';

export interface TrainerEvents {
  /** Once, before the baseline evaluation: the run's step counts and schedule. */
  plan?(p: SchedulePlan): void;
  progress?(p: ProgressPoint): void;
  evaluation?(e: EvalPoint): void;
  log?(message: string): void;
  /**
   * The run's state after an evaluation (and after a step once `saveStateEvery` seconds have passed since the
   * last): for a crash-safe save. Training waits for it, so the state is read once, before it changes.
   */
  saveTrainState?(state: TrainState): Promise<void> | void;
}

/** How the caller steers a run: pause, resume and stop are checked between optimizer steps. */
export interface RunControl {
  shouldStop(): boolean;
  waitIfPaused(): Promise<void>;
}

export const NO_CONTROL: RunControl = { shouldStop: () => false, waitIfPaused: async () => {} };

/** 'paused': at `pauseAt` (a search's rung), to go on later from the saved state. */
export type StopReason = 'completed' | 'early-stopping' | 'stopped' | 'nan' | 'paused';

export interface TrainResult {
  reason: StopReason;
  message: string;
  steps: number;
  bestStep: number | null;
  /** The metric early stopping and the best-weights choice used (loss when validation AUC is undefined). */
  selectionMetric: StopMetric;
  /** Choices the trainer made that the user should know of (a switched selection metric). */
  notes: string[];
  baseline: { validation: EvalMetrics; test: EvalMetrics | null };
  final: { validation: EvalMetrics; test: EvalMetrics | null };
  /** The kept model's score of each validation and test row, in the split's order: for paired comparisons. */
  finalScores: RowScores;
  history: EvalPoint[];
}

export interface TrainInputs {
  model: SequenceClassifier;
  tokenizer: BertTokenizer;
  config: TrainConfig;
  spec: LabelSpec;
  train: readonly Example[];
  validation: readonly Example[];
  test: readonly Example[];
  events?: TrainerEvents;
  control?: RunControl;
  /** A saved state to go on from (a resumed run): the same model, data and settings it was saved with. */
  resume?: TrainState | null;
  /** Seconds between time-based saves of the state (besides the one after each evaluation); none when absent. */
  saveStateEvery?: number;
  /**
   * Pause after this many optimizer steps (a settings search's rung): validation is evaluated there and the state
   * saved, and the run ends 'paused' — no best weights restored, no final evaluation; it goes on from that state.
   */
  pauseAt?: number;
  /** End after this many steps, as if the run were complete (a search's winner whose time ran out before the end). */
  endAt?: number;
}

type Split = 'train' | 'validation' | 'test';

/** AdamW over the parameters that train (the config's freezing rules) and the optimizer step the run takes. */
export function optimizerFor(
  model: SequenceClassifier,
  config: TrainConfig,
  task: LabelSpec['task'],
): { optimizer: AdamW; stepper: OptimizerStep } {
  const named = new Map(model.namedParameters());
  const params = new Map(trainableNames(model, config.freeze).map((n) => [n, named.get(n) as tf.Variable]));
  const optimizer = new AdamW(params, { ...DEFAULT_ADAMW, weightDecay: config.weightDecay });
  const stepper = new OptimizerStep({
    model,
    task,
    params,
    optimizer,
    maxGradNorm: config.maxGradNorm,
    dropout: dropoutRates(model.bert.config, config.dropout),
    seed: config.seed,
  });
  return { optimizer, stepper };
}

/** Names of the parameters that train under the config's freezing rules. */
export function trainableNames(model: SequenceClassifier, freeze: TrainConfig['freeze']): string[] {
  const lora = model.bert.lora !== null;
  return model
    .namedParameters()
    .map(([name]) => name)
    .filter((name) => {
      if (name.startsWith('classifier.')) return true;
      // With LoRA only its updates train (and the head); the base weights and the pooler stay, as in PEFT.
      if (lora) return name.includes('.lora_');
      if (freeze.headOnly) return false;
      if (freeze.embeddings && name.startsWith('bert.embeddings.')) return false;
      const layer = /^bert\.encoder\.layer\.(\d+)\./.exec(name);
      return !(layer && Number(layer[1]) < freeze.bottomLayers);
    });
}

export function encodeExamples(
  tokenizer: BertTokenizer,
  examples: readonly Example[],
  maxLength: number,
): EncodedRows {
  return EncodedRows.encode(tokenizer, examples, maxLength);
}

/**
 * Fine-tunes `model` in place: evaluates before the first step (the baseline), trains with AdamW,
 * warmup + linear decay, clipping, accumulation and early stopping, restores the best weights, and
 * evaluates validation and test at the end. Losses are read asynchronously, two steps behind.
 */
export async function train(inputs: TrainInputs): Promise<TrainResult> {
  const { model, tokenizer, config, events = {} } = inputs;
  const enc: Record<Split, EncodedRows> = {
    train: encodeExamples(tokenizer, inputs.train, config.maxLength),
    validation: encodeExamples(tokenizer, inputs.validation, config.maxLength),
    test: encodeExamples(tokenizer, inputs.test, config.maxLength),
  };
  const plan = planSchedule(enc.train.length, config);
  events.plan?.(plan);
  const named = new Map(model.namedParameters());
  const trainable = trainableNames(model, config.freeze);
  events.log?.(
    `${enc.train.length} training examples, ${plan.stepsPerEpoch} steps per epoch, ${plan.totalSteps} steps (warmup ${plan.warmupSteps}, validation every ${plan.evalEvery}); ${trainable.length} of ${named.size} tensors train.`,
  );
  const history: EvalPoint[] = [];
  const progress: ProgressPoint[] = [];
  const { evaluate, both, latest } = evaluator(inputs, enc, plan, history);
  const resume = inputs.resume ?? null;
  if (resume) {
    if (resume.step > plan.totalSteps) {
      throw new TabTuneError(
        'training',
        `The saved run is at step ${resume.step}, past this run's ${plan.totalSteps} steps: it was saved with other settings. Start a new run.`,
      );
    }
    assignAll(named, resume.weights, 'weights');
    history.push(...resume.history);
    progress.push(...resume.progress);
    events.log?.(`Resuming from the saved state at step ${resume.step} of ${plan.totalSteps}.`);
  }
  const baseline = resume ? resume.baseline : await both(0, 'baseline');
  const stopper = new EarlyStopper(
    config.earlyStopping.metric,
    config.earlyStopping.patience,
    baseline.validation,
  );
  if (resume) stopper.restore(resume.stopper);
  else if (stopper.note) events.log?.(stopper.note);
  const best = stopper.enabled ? new BestWeights(named) : null;
  if (best && resume) {
    if (resume.best) best.load(resume.best);
    else if (stopper.bestStep === resume.step) best.take(); // saved at its best: the weights just assigned
  }
  const { optimizer, stepper } = optimizerFor(model, config, inputs.spec.task);
  if (resume) optimizer.load(resume.adamStep, resume.m, resume.v);
  const targets = inputs.train.map((e) => exampleTarget(inputs.spec, e));
  const saveState = events.saveTrainState
    ? stateSaver(events.saveTrainState, { named, optimizer, stopper, best, baseline, history, progress })
    : null;
  const loop = await runSteps({
    inputs,
    plan,
    stepper,
    enc: enc.train,
    targets,
    stopper,
    best,
    evaluate,
    firstStep: resume?.step ?? 0,
    saveState,
    progress,
  });
  optimizer.dispose();
  if (loop.reason === 'paused') {
    best?.dispose();
    return pausedResult(loop, stopper.metric, baseline, history, latest);
  }
  const bestStep = restoreBest(best, stopper, loop.steps, events);
  const final = await both(loop.steps, 'final');
  const notes = stopper.note ? [stopper.note] : [];
  const never = neverBeatNote(stopper, bestStep, loop.steps);
  if (never) {
    notes.push(never);
    events.log?.(never);
  }
  const finalScores = { ...latest };
  return { ...loop, bestStep, selectionMetric: stopper.metric, notes, baseline, final, finalScores, history };
}

/** A run paused at `pauseAt`: its last validation evaluation stands for its result; nothing is restored. */
function pausedResult(
  loop: { reason: StopReason; message: string; steps: number },
  selectionMetric: StopMetric,
  baseline: TrainResult['baseline'],
  history: EvalPoint[],
  latest: TrainResult['finalScores'],
): TrainResult {
  const validation = [...history].reverse().find((p) => p.split === 'validation') ?? baseline.validation;
  const final = { validation, test: null };
  return {
    ...loop,
    bestStep: null,
    selectionMetric,
    notes: [],
    baseline,
    final,
    finalScores: { ...latest },
    history,
  };
}

/** Puts the best trained weights back (early stopping on) and says so; their step, or null. */
function restoreBest(
  best: BestWeights | null,
  stopper: EarlyStopper,
  steps: number,
  events: TrainerEvents,
): number | null {
  if (!best) return null;
  const bestStep = stopper.bestStep;
  if (bestStep !== null && bestStep !== steps) {
    best.restore();
    events.log?.(`Restored the best weights, from step ${bestStep}.`);
  }
  best.dispose();
  return bestStep;
}

/** The stopper's "never beat the untrained model", with which weights the run keeps; null when it did beat it. */
function neverBeatNote(stopper: EarlyStopper, bestStep: number | null, steps: number): string | null {
  const never = stopper.neverBeatUntrained();
  if (!never) return null;
  return bestStep !== null
    ? `${never} The weights kept are the best trained ones (step ${bestStep}), not the untrained model.`
    : `${never} The weights kept are the last ones (step ${steps}): early stopping is off.`;
}

/** Evaluation of a split at a step, recorded in `history` and sent as an event; `both`: validation and test. */
function evaluator(
  inputs: TrainInputs,
  enc: Record<Split, EncodedRows>,
  plan: SchedulePlan,
  history: EvalPoint[],
) {
  const { model, tokenizer, config, events = {} } = inputs;
  /** Each split's row scores at its latest evaluation: after the final one, the kept model's. */
  const latest: RowScores = { validation: [], test: null };
  // Multi-label: each label's threshold as validation chose it at its latest evaluation, for test's F1.
  let thresholds: number[] | null = null;
  const evaluate = async (split: 'validation' | 'test', step: number, phase: Phase) => {
    const examples = inputs[split];
    const {
      metrics: m,
      rankScores,
      labelScores,
    } = await evaluateSplit(
      model,
      inputs.spec,
      enc[split],
      examples,
      tokenizer.padId,
      Math.max(config.batchSize, 32),
      groupsOf(examples),
      split === 'test' ? thresholds : null,
    );
    if (split === 'validation') thresholds = labelThresholds(inputs.spec, m);
    const point: EvalPoint = { ...m, step, epoch: step / plan.stepsPerEpoch, split, phase };
    history.push(point);
    events.evaluation?.(point);
    latest[split] = rankScores;
    if (labelScores)
      latest.labels = { ...(latest.labels ?? { validation: [], test: null }), [split]: labelScores };
    return m;
  };
  const both = async (step: number, phase: Phase) => ({
    validation: await evaluate('validation', step, phase),
    test: enc.test.length > 0 ? await evaluate('test', step, phase) : null,
  });
  return { evaluate, both, latest };
}

/** Reads the run's state at a step (weights, AdamW, early stopping, history) and hands it to `save`. */
function stateSaver(
  save: (state: TrainState) => Promise<void> | void,
  run: {
    named: ReadonlyMap<string, tf.Variable>;
    optimizer: AdamW;
    stopper: EarlyStopper;
    best: BestWeights | null;
    baseline: TrainState['baseline'];
    history: readonly EvalPoint[];
    progress: readonly ProgressPoint[];
  },
): (step: number) => Promise<void> {
  return async (step) => {
    const adam = await run.optimizer.save();
    await save({
      step,
      adamStep: adam.step,
      stopper: run.stopper.state(),
      baseline: run.baseline,
      history: [...run.history],
      progress: [...run.progress],
      weights: await readAll(run.named),
      m: adam.m,
      v: adam.v,
      best: run.best?.taken && run.stopper.bestStep !== step ? await run.best.save() : null,
    });
  };
}

interface LoopSetup {
  inputs: TrainInputs;
  plan: SchedulePlan;
  stepper: OptimizerStep;
  enc: EncodedRows;
  targets: Target[];
  stopper: EarlyStopper;
  best: BestWeights | null;
  evaluate(split: 'validation', step: number, phase: Phase): Promise<EvalMetrics>;
  /** The step to start from: 0, or a resumed run's saved step. */
  firstStep: number;
  saveState: ((step: number) => Promise<void>) | null;
  /** Every step's loss point, kept for the run's saved state (the loss reads are drained before each save). */
  progress: ProgressPoint[];
}

/** The step loop: pause/stop between steps, asynchronous loss reads, the NaN latch, evaluations. */
async function runSteps(s: LoopSetup): Promise<{ reason: StopReason; message: string; steps: number }> {
  const { config, events = {}, control = NO_CONTROL } = s.inputs;
  const meter = new ProgressMeter(s.plan);
  const reader = new LossReader();
  const lengths = Array.from({ length: s.enc.length }, (_, i) => s.enc.tokenCount(i));
  const orders = epochOrders(config.seed, lengths, s.plan.batchSize, config.groupByLength);
  let step = s.firstStep;
  const firstEpoch = Math.floor(step / s.plan.stepsPerEpoch);
  for (let e = 0; e < firstEpoch; e++) orders.next(); // the orders of the epochs already done
  let lastSave = performance.now();
  const save = async () => {
    lastSave = performance.now();
    await s.saveState?.(step);
  };
  let end: { reason: StopReason; message: string } | null = null;
  for (let epoch = firstEpoch; epoch < config.epochs && end === null; epoch++) {
    const { order, shuffled } = orders.next().value!;
    if (epoch === firstEpoch)
      events.log?.(paddingNote(order, shuffled, lengths, s.plan.batchSize, config.groupByLength));
    const done = epoch === firstEpoch ? step - epoch * s.plan.stepsPerEpoch : 0;
    for (const micro of stepBatches(order, s.plan, s.enc, s.targets, s.inputs.tokenizer.padId, done)) {
      await control.waitIfPaused();
      if (s.inputs.endAt !== undefined && step >= s.inputs.endAt) {
        end = {
          reason: 'completed',
          message: `Trained ${step} of ${s.plan.totalSteps} steps, where the settings search ended.`,
        };
        break;
      }
      if (control.shouldStop()) {
        end = { reason: 'stopped', message: `Stopped by the user at step ${step}.` };
        break;
      }
      const lr = planLr(s.plan, step);
      const loss = s.stepper.run(micro, step, lr);
      const done = ++step;
      const examples = micro.reduce((n, mb) => n + mb.batch.batchSize, 0);
      await reader.push(done, loss, (value) => {
        const point = meter.record(done, examples, value, lr);
        s.progress.push(point);
        events.progress?.(point);
      });
      const pause = s.inputs.pauseAt === step;
      if (reader.nonFiniteAt === null && (evaluatesAfter(s.plan, step) || pause)) {
        await reader.drain();
        if (reader.nonFiniteAt !== null) break;
        const verdict = s.stopper.observe(step, await s.evaluate('validation', step, 'training'));
        if (verdict.improved) s.best?.take();
        if (verdict.stop) end = { reason: 'early-stopping', message: s.stopper.stopMessage(step) };
        else await save();
        if (pause && end === null) end = { reason: 'paused', message: `Paused at step ${step}.` };
      } else if (
        s.saveState &&
        s.inputs.saveStateEvery !== undefined &&
        performance.now() - lastSave >= s.inputs.saveStateEvery * 1000
      ) {
        await reader.drain();
        if (reader.nonFiniteAt === null) await save();
      }
      if (reader.nonFiniteAt !== null || end !== null) break;
    }
    if (reader.nonFiniteAt !== null) break;
  }
  await reader.drain();
  if (reader.nonFiniteAt !== null) {
    end = {
      reason: 'nan',
      message: `The loss became NaN or infinite at step ${reader.nonFiniteAt}; training stopped and the weights from before that step are kept. Lower the learning rate (now ${config.learningRate}) or check the labels.`,
    };
  }
  return { ...(end ?? { reason: 'completed', message: 'Training completed.' }), steps: step };
}

/** "Padding: 4 % of the tokens (61 % without grouping by length)", for the run's log. */
function paddingNote(
  order: number[],
  shuffled: number[],
  lengths: number[],
  batchSize: number,
  grouped: boolean,
) {
  const pct = (o: number[]) => `${(100 * paddedShare(o, lengths, batchSize)).toFixed(1)} %`;
  return grouped
    ? `Padding: ${pct(order)} of the batches' tokens (${pct(shuffled)} without grouping by length).`
    : `Padding: ${pct(order)} of the batches' tokens (grouping by length is off).`;
}
