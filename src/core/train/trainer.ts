import type * as tf from '@tensorflow/tfjs';
import { groupsOf, type Example } from '../data/dataset';
import { exampleTarget, type LabelSpec } from '../data/labels';
import { TabTuneError } from '../errors';
import type { SequenceClassifier } from '../model/classifier';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import { EncodedRows } from '../tokenizer/encodedRows';
import { assignAll, readAll, type AdamW } from './adamw';
import { BestWeights } from './bestWeights';
import type { TrainConfig } from './config';
import type { RunControl } from './control';
import { EarlyStopper, type StopMetric } from './earlyStopping';
import {
  evaluateSplit,
  labelThresholds,
  type EvalMetrics,
  type EvalPoint,
  type Phase,
  type RowScores,
} from './evaluate';
import { optimizerFor, trainableNames } from './optimizerFor';
import type { ProgressPoint } from './progress';
import type { TrainState } from './runState';
import { planSchedule, type SchedulePlan } from './schedule';
import { runSteps, type LoopEnd } from './stepLoop';
import type { StopReason, TrainerEvents } from './trainEvents';

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

/**
 * Fine-tunes `model` in place: evaluates before the first step (the baseline), trains with AdamW,
 * warmup + linear decay, clipping, accumulation and early stopping, restores the best weights, and
 * evaluates validation and test at the end. Losses are read asynchronously, two steps behind.
 */
export async function train(inputs: TrainInputs): Promise<TrainResult> {
  const { model, tokenizer, config, events = {} } = inputs;
  const enc: Record<Split, EncodedRows> = {
    train: EncodedRows.encode(tokenizer, inputs.train, config.maxLength),
    validation: EncodedRows.encode(tokenizer, inputs.validation, config.maxLength),
    test: EncodedRows.encode(tokenizer, inputs.test, config.maxLength),
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
    ...loopSettings(inputs),
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

/** What the step loop takes of the run's inputs as given. */
function loopSettings(inputs: TrainInputs) {
  const { config, events = {}, control = {}, pauseAt, endAt, saveStateEvery } = inputs;
  return {
    config,
    events,
    control,
    padId: inputs.tokenizer.padId,
    ...(pauseAt === undefined ? {} : { pauseAt }),
    ...(endAt === undefined ? {} : { endAt }),
    ...(saveStateEvery === undefined ? {} : { saveStateEvery }),
  };
}

/** A run paused at `pauseAt`: its last validation evaluation stands for its result; nothing is restored. */
function pausedResult(
  loop: LoopEnd,
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
