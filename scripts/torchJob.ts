import { EncodedRows } from '../src/core/tokenizer/encodedRows';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { targetOf } from '../src/core/data/labels';
import type { FinishedRun } from '../src/core/train/run';
import { epochOrders } from '../src/core/train/buckets';
import { evaluatesAfter, planLr, planSchedule } from '../src/core/train/schedule';
import { PYTHON } from './torchPeer';

export interface TorchJobResult {
  seconds: number;
  steps: number;
  validation: { loss: number; auc: number | null };
  history: Array<{ step: number; loss: number; auc: number | null }>;
  [k: string]: unknown;
}

/**
 * A finished TabTune run done again in PyTorch (scripts/reference/job_torch.py, Debian's python3-torch) on
 * TabTune's own token ids, splits, schedule and evaluation points; from `weights` (a safetensors file with
 * Hugging Face names: the run's exact initial weights) when given, else from PyTorch's own random init. With
 * `sameBatches`, PyTorch trains on TabTune's own batches, epoch by epoch, instead of drawing its own shuffle.
 */
export function torchJob(
  run: FinishedRun,
  weights: string | null = null,
  sameBatches = false,
): TorchJobResult {
  const { data, checkpoint } = run;
  const config = run.record.trainConfig;
  const encode = (split: 'train' | 'validation' | 'test') => {
    const examples = data[split];
    const enc = EncodedRows.encode(checkpoint.tokenizer, examples, config.maxLength).toArray();
    return {
      ids: enc.map((e) => e.inputIds),
      types: enc.map((e) => e.tokenTypeIds),
      targets: examples.map((e) => targetOf(data.spec, e.rating)),
      positive: examples.map((e) => e.rating >= data.spec.threshold),
    };
  };
  const dir = mkdtempSync(join(tmpdir(), 'tabtune-job-'));
  try {
    const file = join(dir, 'job.json');
    const c = checkpoint.config;
    const plan = planSchedule(data.train.length, config);
    const steps = Array.from({ length: plan.totalSteps }, (_, k) => k);
    const train = encode('train');
    const job = {
      model: {
        vocab: c.vocab_size,
        positions: c.max_position_embeddings,
        layers: c.num_hidden_layers,
        hidden: c.hidden_size,
        heads: c.num_attention_heads,
        intermediate: c.intermediate_size,
      },
      weights,
      task: data.spec.task,
      numLabels: data.spec.task === 'classification' ? data.spec.classes.length : 1,
      padId: checkpoint.tokenizer.padId,
      config,
      // The trainer's own schedule, step by step: the learning rate of each step, and after which it evaluates.
      lr: steps.map((k) => planLr(plan, k)),
      evaluateAfter: steps.filter((k) => evaluatesAfter(plan, k + 1)).map((k) => k + 1),
      batches: sameBatches
        ? tabtuneBatches(
            train.ids.map((ids) => ids.length),
            plan.batchSize,
          )
        : null,
      train,
      validation: encode('validation'),
      test: encode('test'),
    };
    writeFileSync(file, JSON.stringify(job));
    function tabtuneBatches(lengths: number[], batchSize: number): number[][][] {
      const orders = epochOrders(config.seed, lengths, batchSize, config.groupByLength);
      return Array.from({ length: config.epochs }, () => {
        const { order } = orders.next().value!;
        return Array.from({ length: Math.ceil(order.length / batchSize) }, (_, b) =>
          order.slice(b * batchSize, (b + 1) * batchSize),
        );
      });
    }
    return JSON.parse(
      execFileSync(PYTHON, ['scripts/reference/job_torch.py', file], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      }),
    ) as TorchJobResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
