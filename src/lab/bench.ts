import * as tf from '@tensorflow/tfjs';
import type { WasmBuild } from '../core/backend';
import { scratchConfig } from '../core/model/scratch';
import { modelOutputs } from '../core/train/evaluate';
import { LossReader } from '../core/train/step';
import { countGpuCalls, type ApiCounts } from './apiCounts';
import { profileStep, type StepProfile } from './kernelProfile';
import type { LoraConfig } from '../core/model/lora';
import { estimateTrainingBytes, trainableParameterCount } from '../core/model/memory';
import { syntheticTraining } from '../core/runtime/synthetic';

/** The fixed workloads of `npm run bench`: Google's BERT miniatures' shapes on a 30,522-token vocabulary. */
export const BENCH_SHAPES = {
  tiny: { num_hidden_layers: 2, hidden_size: 128, num_attention_heads: 2, intermediate_size: 512 },
  mini: { num_hidden_layers: 4, hidden_size: 256, num_attention_heads: 4, intermediate_size: 1024 },
  base: { num_hidden_layers: 12, hidden_size: 768, num_attention_heads: 12, intermediate_size: 3072 },
} as const;
export type BenchShape = keyof typeof BENCH_SHAPES;

export interface BenchOptions {
  shape: BenchShape;
  batchSize: number;
  seqLen: number;
  /** Measured steps, after one warm-up step (shader compilation, allocation). */
  steps: number;
  /** Also profile one training step: each kernel's share of the time (tf.profile). */
  profile?: boolean;
  /** Fine-tune with LoRA (its updates and the head train; the base is frozen) instead of every weight. */
  lora?: LoraConfig | null;
  /** Steps whose loss may be unread at once (the trainer's LossReader; 2 by default). */
  lossInFlight?: number;
}

export interface BenchResult {
  /** WASM: the threads it ran with, and which build. */
  threads?: number;
  wasmBuild?: WasmBuild | null;
  shape: BenchShape;
  backend: string;
  batchSize: number;
  seqLen: number;
  steps: number;
  trainExamplesPerSecond: number;
  inferenceExamplesPerSecond: number;
  /** "full" or "lora r 8 (query, value)". */
  fineTune: string;
  trainableParameters: number;
  /** The most tensor memory one training step held (tf.profile's peak), and the studio's estimate for it. */
  peakBytes: number;
  estimatedBytes: number;
  profile?: StepProfile & {
    /** WebGPU's API calls for one training step (its loss read) and one inference batch; absent elsewhere. */
    api?: { trainStep: ApiCounts; inference: ApiCounts };
  };
}

/**
 * Full fine-tuning steps on random tokens — the trainer's own `OptimizerStep` (forward with dropout,
 * backward, clipping, the finite check, AdamW on every tensor) with its asynchronous loss reads, two
 * steps in flight — and inference passes as evaluation runs them.
 */
export async function runBenchmark(o: BenchOptions): Promise<BenchResult> {
  const config = scratchConfig(30522, { ...BENCH_SHAPES[o.shape], max_position_embeddings: 512 });
  const training = syntheticTraining(config, o.batchSize, o.seqLen, o.lora ?? null);
  const { batch } = training.micro[0]!;
  const encoded = Array.from({ length: o.batchSize }, (_, r) => {
    const ids = [...batch.inputIds.subarray(r * o.seqLen, (r + 1) * o.seqLen)];
    return { inputIds: ids, tokenTypeIds: ids.map(() => 0), attentionMask: ids.map(() => 1) };
  });
  const reader = new LossReader(o.lossInFlight ?? 2);
  let k = 0;
  const trainSteps = async (count: number) => {
    for (let i = 0; i < count; i++, k++) await reader.push(k, training.run(k), () => {});
    await reader.drain();
  };
  const inferSteps = async (count: number) => {
    for (let i = 0; i < count; i++) await modelOutputs(training.model, encoded, 0, o.batchSize);
  };
  const time = async (run: (count: number) => Promise<void>) => {
    await run(1);
    const t0 = performance.now();
    await run(o.steps);
    return (o.batchSize * o.steps * 1000) / (performance.now() - t0);
  };
  const train = await time(trainSteps);
  const infer = await time(inferSteps);
  const peak = await tf.profile(() => training.run(k++));
  tf.dispose(peak.result);
  const kernels = o.profile ? await profileStep(() => training.run(k++)) : undefined;
  const api = o.profile
    ? await apiCounts(
        () => training.run(k++),
        () => inferSteps(1),
      )
    : null;
  const profile = kernels && { ...kernels, ...(api ? { api } : {}) };
  const fineTune = { lora: o.lora ?? null, headOnly: false };
  const trainableParameters = trainableParameterCount(config, 1, fineTune);
  training.dispose();
  return {
    shape: o.shape,
    backend: tf.getBackend(),
    batchSize: o.batchSize,
    seqLen: o.seqLen,
    steps: o.steps,
    trainExamplesPerSecond: Number(train.toFixed(2)),
    inferenceExamplesPerSecond: Number(infer.toFixed(2)),
    fineTune: o.lora ? `lora r ${o.lora.r} (${o.lora.targets.join(', ')})` : 'full',
    trainableParameters,
    peakBytes: peak.peakBytes,
    estimatedBytes: estimateTrainingBytes(config, 1, o.batchSize, o.seqLen, fineTune),
    ...(profile ? { profile } : {}),
  };
}

/**
 * WebGPU's API calls for one training step, its loss read back as the trainer reads it, and for one inference batch
 * (its outputs read); null where the backend is not WebGPU.
 */
async function apiCounts(
  trainStep: () => tf.Scalar,
  infer: () => Promise<void>,
): Promise<{ trainStep: ApiCounts; inference: ApiCounts } | null> {
  if (tf.getBackend() !== 'webgpu') return null;
  const train = await countGpuCalls(async () => {
    const loss = trainStep();
    await loss.data();
    loss.dispose();
  });
  const inference = await countGpuCalls(infer);
  return train.counts && inference.counts ? { trainStep: train.counts, inference: inference.counts } : null;
}
