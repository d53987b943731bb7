import type { Target } from '../data/labels';
import type { EncodedRows } from '../tokenizer/encodedRows';
import type { BestWeights } from './bestWeights';
import { epochOrders, paddedShare } from './buckets';
import type { TrainConfig } from './config';
import type { RunControl } from './control';
import type { EarlyStopper } from './earlyStopping';
import type { EvalMetrics, Phase } from './evaluate';
import { ProgressMeter, type ProgressPoint } from './progress';
import { evaluatesAfter, planLr, type SchedulePlan } from './schedule';
import { LossReader, type OptimizerStep } from './step';
import { stepBatches } from './stepBatches';
import type { StopReason, TrainerEvents } from './trainEvents';

/** How the step loop ended, and at which step. */
export interface LoopEnd {
  reason: StopReason;
  message: string;
  steps: number;
}

/** What the step loop works with: the run's settings and parts, set up by `train`. */
export interface LoopSetup {
  config: TrainConfig;
  events: TrainerEvents;
  control: RunControl;
  /** The tokenizer's padding id, for the batches. */
  padId: number;
  /** A settings search's rung: pause here (evaluate, save, end 'paused'). */
  pauseAt?: number;
  /** End here as if complete (a search's winner whose time ran out). */
  endAt?: number;
  /** Seconds between time-based saves of the state. */
  saveStateEvery?: number;
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
export async function runSteps(s: LoopSetup): Promise<LoopEnd> {
  const { config, events, control } = s;
  const { signal, gate } = control;
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
    for (const micro of stepBatches(order, s.plan, s.enc, s.targets, s.padId, done)) {
      await gate?.pass(signal);
      if (s.endAt !== undefined && step >= s.endAt) {
        end = {
          reason: 'completed',
          message: `Trained ${step} of ${s.plan.totalSteps} steps, where the settings search ended.`,
        };
        break;
      }
      if (signal?.aborted) {
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
      const pause = s.pauseAt === step;
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
        s.saveStateEvery !== undefined &&
        performance.now() - lastSave >= s.saveStateEvery * 1000
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
