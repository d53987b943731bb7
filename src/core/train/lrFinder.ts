import { EncodedRows } from '../tokenizer/encodedRows';
import { padBatch } from '../batch';
import type { Example } from '../data/dataset';
import { exampleTarget, type LabelSpec, type Target } from '../data/labels';
import { seededRandom, shuffleInPlace } from '../data/split';
import type { SequenceClassifier } from '../model/classifier';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';
import type { TrainConfig } from './config';
import { BestWeights } from './bestWeights';
import type { RunControl } from './control';
import { optimizerFor } from './optimizerFor';

/*
 * The learning-rate range test (Smith, "Cyclical learning rates", 2017; fastai's lr_find): train for a few
 * dozen batches while the learning rate grows exponentially, record the loss, and put the weights back. The
 * suggestion is fastai's "valley": a rate part of the way down the longest stretch where the loss keeps falling.
 */

export interface LrFinderOptions {
  steps: number;
  minLr: number;
  maxLr: number;
}

export const LR_FINDER: LrFinderOptions = { steps: 100, minLr: 1e-7, maxLr: 1 };

export interface LrPoint {
  step: number;
  lr: number;
  loss: number;
  /** Exponentially smoothed (β = 0.9: about ten steps, so the curve lags the rate little), bias-corrected. */
  smoothed: number;
}

export interface LrFinderResult {
  points: LrPoint[];
  /** null when the loss never fell. */
  suggestion: number | null;
  /** Why this value, or why none, in a sentence for the studio and the CLI. */
  reason: string;
}

/** The learning rate of sweep step i of n: minLr · (maxLr / minLr)^(i / (n − 1)). */
export function sweepLr(i: number, o: LrFinderOptions): number {
  return o.minLr * (o.maxLr / o.minLr) ** (i / Math.max(1, o.steps - 1));
}

/** The smoothing of the sweep's losses (fastai's). */
export const BETA = 0.9;

/** One step of the moving average: the new running average after `loss` (the i-th, from 0) and its bias-corrected value. */
export function smoothStep(
  avg: number,
  loss: number,
  i: number,
  beta: number,
): { avg: number; smoothed: number } {
  const next = beta * avg + (1 - beta) * loss;
  return { avg: next, smoothed: next / (1 - beta ** (i + 1)) };
}

/** Whether the sweep should stop: the loss is not finite, or the smoothed loss is past 4× its minimum. */
export function diverged(points: readonly LrPoint[]): boolean {
  const last = points.at(-1);
  if (!last) return false;
  if (!Number.isFinite(last.loss)) return true;
  const best = Math.min(...points.map((p) => p.smoothed));
  return points.length > 10 && last.smoothed > 4 * best;
}

/**
 * fastai's "valley" rule (its default suggestion since v2.5): find the longest stretch over which the smoothed
 * loss keeps falling (the longest decreasing subsequence ending anywhere), and take the rate a half of the way
 * down it (its start plus a third plus a sixth of its length). None when the loss never fell by 1 %.
 */
export function suggestLearningRate(points: readonly LrPoint[]): {
  suggestion: number | null;
  reason: string;
} {
  const finite = points.filter((p) => Number.isFinite(p.smoothed));
  if (finite.length < 5)
    return { suggestion: null, reason: 'Too few steps to read a curve: run more steps.' };
  const loss = finite.map((p) => p.smoothed);
  const best = Math.min(...loss);
  if (best > 0.99 * (loss[0] as number)) {
    return {
      suggestion: null,
      reason: `The loss never fell between ${finite[0]!.lr.toExponential(0)} and ${finite.at(-1)!.lr.toExponential(0)}; keep the recipe's rate or check the data.`,
    };
  }
  const run = new Array<number>(loss.length).fill(1); // the longest decreasing subsequence ending at i
  let [start, end] = [0, 0];
  for (let i = 1; i < loss.length; i++) {
    for (let j = 0; j < i; j++) {
      if ((loss[i] as number) < (loss[j] as number) && (run[i] as number) < (run[j] as number) + 1)
        run[i] = (run[j] as number) + 1;
      if ((run[end] as number) < (run[i] as number)) [end, start] = [i, i - (run[i] as number)];
    }
  }
  const third = (end - start) / 3;
  const at = finite[Math.max(0, start + Math.floor(third) + Math.floor(third / 2))] as LrPoint;
  const lr = Number(at.lr.toPrecision(2));
  return {
    suggestion: lr,
    reason: `The smoothed loss falls longest from ${finite[Math.max(0, start)]!.lr.toExponential(1)} to ${finite[end]!.lr.toExponential(1)}; ${lr.toExponential(1)}, half-way down that valley, is the suggestion (fastai's rule).`,
  };
}

export interface LrFinderInputs {
  model: SequenceClassifier;
  tokenizer: BertTokenizer;
  config: TrainConfig;
  spec: LabelSpec;
  train: readonly Example[];
  options?: LrFinderOptions;
  onPoint?(p: LrPoint): void;
  control?: RunControl;
}

/** Runs the sweep with the run's own optimizer step (dropout, clipping, AdamW) and restores the weights. */
export async function findLearningRate(inputs: LrFinderInputs): Promise<LrFinderResult> {
  const { model, config, options = LR_FINDER, control = {} } = inputs;
  const { signal, gate } = control;
  const before = new BestWeights(new Map(model.namedParameters()));
  before.take(); // every weight as it is now, put back after the sweep
  const { optimizer, stepper } = optimizerFor(model, config, inputs.spec.task);
  const points: LrPoint[] = [];
  let avg = 0; // the running average behind `smoothed`, carried from step to step
  try {
    const batches = sweepBatches(inputs);
    for (let i = 0; i < options.steps && !diverged(points); i++) {
      await gate?.pass(signal);
      if (signal?.aborted) break;
      const lr = sweepLr(i, options);
      const lossTensor = stepper.run([batches.next().value!], i, lr);
      const loss = (await lossTensor.data())[0] as number;
      lossTensor.dispose();
      const s = smoothStep(avg, loss, i, BETA);
      avg = s.avg;
      points.push({ step: i, lr, loss, smoothed: s.smoothed });
      inputs.onPoint?.(points.at(-1)!);
    }
  } finally {
    before.restore();
    before.dispose();
    optimizer.dispose();
  }
  return { points, ...suggestLearningRate(points) };
}

/** Shuffled training batches (seeded), round after round, as many as the sweep asks for. */
function* sweepBatches(inputs: LrFinderInputs) {
  const { config, tokenizer } = inputs;
  const enc = EncodedRows.encode(tokenizer, inputs.train, config.maxLength);
  const targets = inputs.train.map((e) => exampleTarget(inputs.spec, e));
  const random = seededRandom(config.seed ^ 0x1f123bb5);
  const count = Math.max(1, Math.floor(enc.length / config.batchSize));
  for (;;) {
    const order = shuffleInPlace(
      Array.from({ length: enc.length }, (_, i) => i),
      random,
    );
    for (let b = 0; b < count; b++) {
      const idx = order.slice(b * config.batchSize, (b + 1) * config.batchSize);
      yield {
        batch: padBatch(
          idx.map((i) => enc.get(i)),
          tokenizer.padId,
        ),
        targets: idx.map((i) => targets[i] as Target),
      };
    }
  }
}
