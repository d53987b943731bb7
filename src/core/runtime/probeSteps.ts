import { syntheticTraining } from './synthetic';
import { DEFAULT_LORA } from '../model/lora';
import { scratchConfig } from '../model/scratch';
import * as tf from '@tensorflow/tfjs';
import { bytesHeld, type ProbeJob, type ProbeStep } from './probe';

/**
 * Training steps of the trainer's own optimizer step (forward with dropout, backward, clipping, AdamW) on a fresh
 * model of the job's shape and synthetic tokens of its length, one per entry of `batches` (its batch size: the job's
 * own for a probe, 1 and 2 for a scout), on the backend that runs; each step's wall time, the loss read back
 * included, goes to `onStep` as it ends. The first step carries shader compilation and allocation. Aborting `signal`
 * ends it before its next step, rejecting with the signal's reason.
 */
export async function probeSteps(
  job: ProbeJob,
  batches: readonly number[],
  onStep: (s: ProbeStep) => void,
  signal?: AbortSignal,
): Promise<void> {
  const config = scratchConfig(job.vocab, {
    num_hidden_layers: job.layers,
    hidden_size: job.hidden,
    num_attention_heads: job.heads,
    intermediate_size: job.intermediate,
    max_position_embeddings: Math.max(512, job.seqLen),
  });
  const lora = job.lora ? { ...DEFAULT_LORA, r: job.lora.r, targets: job.lora.targets } : null;
  let k = 0;
  // Consecutive steps of one batch size share a model: a new size builds the next.
  for (const size of runsOf(batches)) {
    const training = syntheticTraining(config, size.batch, job.seqLen, lora);
    try {
      for (let i = 0; i < size.count; i++, k++) {
        signal?.throwIfAborted();
        const t0 = performance.now();
        const loss = training.run(k);
        await loss.data();
        loss.dispose();
        const ms = performance.now() - t0;
        onStep({
          ms,
          bytes: bytesHeld(tf.memory() as tf.MemoryInfo & { numBytesInGPUAllocated?: number }),
        });
      }
    } finally {
      training.dispose();
    }
  }
}

/** [1, 1, 2, 2] → one run of two steps at batch 1, then one of two at batch 2. */
function runsOf(batches: readonly number[]): Array<{ batch: number; count: number }> {
  const runs: Array<{ batch: number; count: number }> = [];
  for (const b of batches) {
    const last = runs.at(-1);
    if (last?.batch === b) last.count++;
    else runs.push({ batch: b, count: 1 });
  }
  return runs;
}
