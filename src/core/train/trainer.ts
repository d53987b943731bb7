import * as tf from '@tensorflow/tfjs';
import { padBatch, type PaddedBatch } from '../batch';
import type { Example } from '../data/dataset';
import { targetOf, type LabelSpec } from '../data/labels';
import { seededRandom, shuffleInPlace } from '../data/split';
import type { SequenceClassifier } from '../model/classifier';
import type { BertTokenizer, Encoded } from '../tokenizer/bertTokenizer';
import { AdamW, clipFactor, DEFAULT_ADAMW } from './adamw';
import type { TrainConfig } from './config';
import { computeMetrics, modelOutputs, type EvalMetrics } from './evaluate';
import { taskLoss } from './loss';
import { lrAt } from './schedule';

export interface ProgressPoint {
  step: number;
  totalSteps: number;
  /** Fractional epoch, e.g. 1.5 = halfway through the second epoch. */
  epoch: number;
  loss: number;
  learningRate: number;
  examplesPerSecond: number;
  etaSeconds: number;
}

export type Phase = 'baseline' | 'training' | 'final';

export interface EvalPoint extends EvalMetrics {
  step: number;
  epoch: number;
  split: 'validation' | 'test';
  phase: Phase;
}

export interface TrainerEvents {
  progress?(p: ProgressPoint): void;
  evaluation?(e: EvalPoint): void;
  log?(message: string): void;
}

/** How the caller steers a run: pause, resume and stop are checked between optimizer steps. */
export interface RunControl {
  shouldStop(): boolean;
  waitIfPaused(): Promise<void>;
}

export const NO_CONTROL: RunControl = { shouldStop: () => false, waitIfPaused: async () => {} };

export type StopReason = 'completed' | 'early-stopping' | 'stopped' | 'nan';

export interface TrainResult {
  reason: StopReason;
  message: string;
  steps: number;
  bestStep: number | null;
  baseline: { validation: EvalMetrics; test: EvalMetrics | null };
  final: { validation: EvalMetrics; test: EvalMetrics | null };
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
  /** False on backends whose gather has no gradient (WASM): embeddings are then frozen. */
  embeddingGradients?: boolean;
  events?: TrainerEvents;
  control?: RunControl;
}

/** Names of the parameters that train under the config's freezing rules. */
export function trainableNames(
  model: SequenceClassifier,
  config: TrainConfig,
  embeddingGradients = true,
): string[] {
  const { freeze } = config;
  return model
    .namedParameters()
    .map(([name]) => name)
    .filter((name) => {
      if (name.startsWith('classifier.')) return true;
      if (freeze.headOnly) return false;
      if ((freeze.embeddings || !embeddingGradients) && name.startsWith('bert.embeddings.')) return false;
      const layer = /^bert\.encoder\.layer\.(\d+)\./.exec(name);
      if (layer && Number(layer[1]) < freeze.bottomLayers) return false;
      return true;
    });
}

export function encodeExamples(
  tokenizer: BertTokenizer,
  examples: readonly Example[],
  maxLength: number,
): Encoded[] {
  return examples.map((e) => tokenizer.encode(e.text, e.pair, maxLength));
}

/**
 * Fine-tunes `model` in place: evaluates before the first step (the baseline), trains with AdamW,
 * warmup + linear decay, clipping, accumulation and early stopping, restores the best weights, and
 * evaluates validation and test at the end. Losses are read asynchronously, two steps behind.
 */
export async function train(inputs: TrainInputs): Promise<TrainResult> {
  const { model, tokenizer, config, spec, events = {}, control = NO_CONTROL } = inputs;
  const log = (m: string) => events.log?.(m);
  model.bert.dropoutSeed = config.seed;
  if (config.dropout !== null) {
    model.bert.config.hidden_dropout_prob = config.dropout;
    model.bert.config.attention_probs_dropout_prob = config.dropout;
    model.classifierDropout = config.dropout;
  }
  const enc = {
    train: encodeExamples(tokenizer, inputs.train, config.maxLength),
    validation: encodeExamples(tokenizer, inputs.validation, config.maxLength),
    test: encodeExamples(tokenizer, inputs.test, config.maxLength),
  };
  const ratings = {
    validation: inputs.validation.map((e) => e.rating),
    test: inputs.test.map((e) => e.rating),
  };
  const targets = inputs.train.map((e) => targetOf(spec, e.rating));

  const named = new Map(model.namedParameters());
  const trainable = trainableNames(model, config, inputs.embeddingGradients ?? true);
  if (inputs.embeddingGradients === false && !config.freeze.embeddings && !config.freeze.headOnly) {
    log('Embeddings are frozen: this backend (WASM) cannot compute their gradient.');
  }
  const params = new Map(trainable.map((n) => [n, named.get(n) as tf.Variable]));
  const byVarName = new Map(trainable.map((n) => [(named.get(n) as tf.Variable).name, n]));
  const optimizer = new AdamW(params, { ...DEFAULT_ADAMW, weightDecay: config.weightDecay });

  const microPerStep = config.gradAccumulation;
  const microPerEpoch = Math.ceil(enc.train.length / config.batchSize);
  const stepsPerEpoch = Math.ceil(microPerEpoch / microPerStep);
  const totalSteps = stepsPerEpoch * config.epochs;
  const warmupSteps = Math.round(totalSteps * config.warmupRatio);
  const evalEvery = Math.max(1, Math.floor(stepsPerEpoch / config.evalsPerEpoch));
  log(
    `${enc.train.length} training examples, ${stepsPerEpoch} steps per epoch, ${totalSteps} steps; ${trainable.length} of ${named.size} tensors train.`,
  );

  const history: EvalPoint[] = [];
  const evaluate = async (split: 'validation' | 'test', step: number, phase: Phase): Promise<EvalMetrics> => {
    const outputs = await modelOutputs(model, enc[split], tokenizer.padId, Math.max(config.batchSize, 32));
    const m = computeMetrics(spec, outputs, ratings[split]);
    const point: EvalPoint = { ...m, step, epoch: step / stepsPerEpoch, split, phase };
    history.push(point);
    events.evaluation?.(point);
    return m;
  };

  const baseline = {
    validation: await evaluate('validation', 0, 'baseline'),
    test: enc.test.length > 0 ? await evaluate('test', 0, 'baseline') : null,
  };

  // Early stopping on validation AUC (or loss when AUC is undefined or asked for).
  const useAuc = config.earlyStopping.metric === 'auc' && baseline.validation.auc !== null;
  const scoreOf = (m: EvalMetrics) => (useAuc ? (m.auc as number) : -m.loss);
  let best = { score: scoreOf(baseline.validation), step: 0 };
  const takeSnapshot = () => new Map([...named].map(([n, v]) => [n, tf.clone(v)] as [string, tf.Tensor]));
  // The baseline may stay the best (a run that only gets worse): keep it as the first checkpoint.
  let snapshot: Map<string, tf.Tensor> | null = config.earlyStopping.patience > 0 ? takeSnapshot() : null;
  let sinceBest = 0;

  const random = seededRandom(config.seed ^ 0x5bd1e995);
  let step = 0;
  let reason: StopReason = 'completed';
  let message = 'Training completed.';
  const pending: Array<Promise<void>> = [];
  let nanAt: number | null = null;
  // Throughput over the whole run so far (steps resolve in bursts, so per-step timing would jitter).
  const startTime = performance.now();
  let examplesDone = 0;

  outer: for (let epoch = 0; epoch < config.epochs; epoch++) {
    const order = shuffleInPlace([...enc.train.keys()], random);
    for (let micro = 0; micro < microPerEpoch; micro += microPerStep) {
      await control.waitIfPaused();
      if (control.shouldStop()) {
        reason = 'stopped';
        message = `Stopped by the user at step ${step}.`;
        break outer;
      }
      const batches: PaddedBatch[] = [];
      const batchTargets: number[][] = [];
      for (let j = micro; j < Math.min(micro + microPerStep, microPerEpoch); j++) {
        const idx = order.slice(j * config.batchSize, (j + 1) * config.batchSize);
        batches.push(
          padBatch(
            idx.map((i) => enc.train[i] as Encoded),
            tokenizer.padId,
          ),
        );
        batchTargets.push(idx.map((i) => targets[i] as number));
      }
      const lr = lrAt(step, config.learningRate, warmupSteps, totalSteps);
      const loss = optimizerStep(
        model,
        spec,
        batches,
        batchTargets,
        params,
        byVarName,
        optimizer,
        lr,
        config.maxGradNorm,
      );
      step++;
      const thisStep = step;
      const examples = batches.reduce((s, b) => s + b.batchSize, 0);
      pending.push(
        loss.data().then((d) => {
          loss.dispose();
          const value = d[0] as number;
          if (!Number.isFinite(value) && nanAt === null) nanAt = thisStep;
          examplesDone += examples;
          const rate = (examplesDone * 1000) / Math.max(1, performance.now() - startTime);
          const remaining = ((totalSteps - thisStep) * examples) / Math.max(rate, 1e-9);
          events.progress?.({
            step: thisStep,
            totalSteps,
            epoch: thisStep / stepsPerEpoch,
            loss: value,
            learningRate: lr,
            examplesPerSecond: rate,
            etaSeconds: remaining,
          });
        }),
      );
      // Keep at most two steps in flight: the device works while JavaScript prepares the next batch.
      if (pending.length > 2) await pending.shift();
      if (nanAt !== null) break outer;
      if (step % evalEvery === 0 || step === totalSteps) {
        await Promise.all(pending.splice(0));
        if (nanAt !== null) break outer;
        const m = await evaluate('validation', step, 'training');
        if (scoreOf(m) > best.score) {
          best = { score: scoreOf(m), step };
          sinceBest = 0;
          if (config.earlyStopping.patience > 0) {
            snapshot?.forEach((t) => t.dispose());
            snapshot = takeSnapshot();
          }
        } else if (config.earlyStopping.patience > 0 && ++sinceBest >= config.earlyStopping.patience) {
          reason = 'early-stopping';
          message = `Early stopping at step ${step}: validation ${useAuc ? 'AUC' : 'loss'} has not improved for ${sinceBest} evaluations; keeping step ${best.step}.`;
          break outer;
        }
      }
    }
  }
  await Promise.all(pending.splice(0));
  if (nanAt !== null) {
    reason = 'nan';
    message = `The loss became NaN or infinite at step ${nanAt}; training stopped and the weights from before that step are kept. Lower the learning rate (now ${config.learningRate}) or check the labels.`;
  }
  // Restore the best weights seen on validation (early stopping's checkpoint).
  let bestStep: number | null = null;
  if (snapshot !== null) {
    const snap = snapshot as Map<string, tf.Tensor>;
    if (best.step !== step) {
      for (const [n, v] of named) v.assign(snap.get(n) as tf.Tensor);
      log(`Restored the best weights, from step ${best.step}.`);
    }
    bestStep = best.step;
    snap.forEach((t) => t.dispose());
  }
  optimizer.dispose();
  const final = {
    validation: await evaluate('validation', step, 'final'),
    test: enc.test.length > 0 ? await evaluate('test', step, 'final') : null,
  };
  return { reason, message, steps: step, bestStep, baseline, final, history };
}

/** One optimizer step over 1..k micro-batches; returns the mean loss (a scalar still on the device). */
function optimizerStep(
  model: SequenceClassifier,
  spec: LabelSpec,
  batches: PaddedBatch[],
  batchTargets: number[][],
  params: Map<string, tf.Variable>,
  byVarName: Map<string, string>,
  optimizer: AdamW,
  lr: number,
  maxGradNorm: number,
): tf.Scalar {
  const vars = [...params.values()];
  let sum: Map<string, tf.Tensor> | null = null;
  const losses: tf.Scalar[] = [];
  for (let i = 0; i < batches.length; i++) {
    const b = batches[i] as PaddedBatch;
    const shape: [number, number] = [b.batchSize, b.seqLen];
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(
        {
          inputIds: tf.tensor2d(b.inputIds, shape, 'int32'),
          tokenTypeIds: tf.tensor2d(b.tokenTypeIds, shape, 'int32'),
          attentionMask: tf.tensor2d(b.attentionMask, shape, 'int32'),
        },
        true,
      );
      return taskLoss(spec.task, logits, tf.tensor1d(batchTargets[i] as number[]));
    }, vars);
    losses.push(value);
    const named = new Map(Object.entries(grads).map(([k, g]) => [byVarName.get(k) as string, g]));
    if (sum === null) sum = named;
    else {
      const prev: Map<string, tf.Tensor> = sum;
      sum = new Map([...prev].map(([n, g]) => [n, tf.add(g, named.get(n) as tf.Tensor)]));
      tf.dispose([...prev.values(), ...named.values()]);
    }
  }
  const grads = sum as Map<string, tf.Tensor>;
  const k = batches.length;
  const loss = tf.tidy(() => tf.addN(losses).div(k)) as tf.Scalar;
  const [clip, norm] = tf.tidy(() => {
    const mean = [...grads.values()].map((g) => g.div(k));
    return clipFactor(mean, maxGradNorm);
  });
  const scale = tf.tidy(() => clip.div(k)) as tf.Scalar;
  const ok = tf.tidy(() => tf.logicalAnd(tf.isFinite(loss), tf.isFinite(norm))) as tf.Scalar;
  optimizer.apply(grads, lr, scale, ok);
  tf.dispose([...grads.values(), ...losses, clip, norm, scale, ok]);
  return loss;
}
