import * as tf from '@tensorflow/tfjs';
import { batchInputs, type PaddedBatch } from '../batch';
import type { Target, Task } from '../data/labels';
import type { SequenceClassifier } from '../model/classifier';
import { DropoutPass, type DropoutRates } from '../model/dropout';
import { clipFactor, type AdamW } from './adamw';
import { targetTensor, taskLoss } from './loss';
import { addMany } from '../addMany';

/** One micro-batch: padded inputs and one target per row (scaled rating, class index, 0/1, or 0/1 per label). */
export interface MicroBatch {
  batch: PaddedBatch;
  targets: Target[];
}

export interface StepSetup {
  model: SequenceClassifier;
  task: Task;
  /** The parameters that train, by checkpoint name. */
  params: ReadonlyMap<string, tf.Variable>;
  optimizer: AdamW;
  maxGradNorm: number;
  dropout: DropoutRates;
  seed: number;
}

/**
 * The optimizer step users run, in the trainer and in the benchmark: forward and backward over 1..k
 * micro-batches, gradients summed, global-norm clipping on their mean, and AdamW — skipped on the device
 * when the loss or the gradient norm is not finite, so no synchronous read is needed.
 */
export class OptimizerStep {
  private readonly vars: tf.Variable[];
  private readonly byVarName: Map<string, string>;

  constructor(private readonly s: StepSetup) {
    this.vars = [...s.params.values()];
    this.byVarName = new Map([...s.params].map(([n, v]) => [v.name, n]));
  }

  /** Runs step `step` (0-based) at learning rate `lr`; returns the mean loss, a scalar still on the device. */
  run(micro: readonly MicroBatch[], step: number, lr: number): tf.Scalar {
    const k = micro.length;
    const losses: tf.Scalar[] = [];
    let sum: Map<string, tf.Tensor> | null = null;
    micro.forEach((mb, i) => {
      const dropout = DropoutPass.forStep(this.s.dropout, this.s.seed, step, i);
      const { value, grads } = tf.variableGrads(
        () =>
          taskLoss(
            this.s.task,
            this.s.model.forward(batchInputs(mb.batch), dropout),
            targetTensor(mb.targets),
          ),
        this.vars,
      );
      losses.push(value);
      const named = new Map(Object.entries(grads).map(([v, g]) => [this.byVarName.get(v) as string, g]));
      sum = sum === null ? named : addInto(sum, named);
    });
    const grads = sum as unknown as Map<string, tf.Tensor>;
    const loss = tf.tidy(() => addMany(losses).div(k)) as tf.Scalar;
    const [clip, norm] = clipFactor([...grads.values()], this.s.maxGradNorm, k);
    const scale = tf.tidy(() => clip.div(k)) as tf.Scalar; // the mean of the sum, clipped
    const ok = tf.tidy(() => tf.logicalAnd(tf.isFinite(loss), tf.isFinite(norm))) as tf.Scalar;
    this.s.optimizer.apply(grads, lr, scale, ok);
    tf.dispose([...grads.values(), ...losses, clip, norm, scale, ok]);
    return loss;
  }
}

/** a + b by name; both inputs are disposed. */
function addInto(a: Map<string, tf.Tensor>, b: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
  const out = new Map([...a].map(([n, g]) => [n, tf.add(g, b.get(n) as tf.Tensor)]));
  tf.dispose([...a.values(), ...b.values()]);
  return out;
}

/**
 * Reads step losses asynchronously with at most `inFlight` steps unread (two by default: docs/backends.md has the
 * measurement): the device works while JavaScript prepares the next batch. Latches the first step whose loss is not
 * finite.
 */
export class LossReader {
  private pending: Array<Promise<void>> = [];
  nonFiniteAt: number | null = null;

  constructor(private readonly inFlight = 2) {}

  /** Queues the read of `loss` (disposed once read); waits for the oldest read when more are in flight. */
  async push(step: number, loss: tf.Scalar, onValue: (value: number) => void): Promise<void> {
    this.pending.push(
      loss.data().then((d) => {
        loss.dispose();
        const value = d[0] as number;
        if (!Number.isFinite(value) && this.nonFiniteAt === null) this.nonFiniteAt = step;
        onValue(value);
      }),
    );
    if (this.pending.length > this.inFlight) await this.pending.shift();
  }

  async drain(): Promise<void> {
    await Promise.all(this.pending.splice(0));
  }
}
