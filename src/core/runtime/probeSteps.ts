import { syntheticTraining } from './synthetic';
import { DEFAULT_LORA } from '../model/lora';
import { scratchConfig } from '../model/scratch';
import * as tf from '@tensorflow/tfjs';
import { bytesHeld, type ProbeJob, type ProbeStep } from './probe';

/**
 * `steps` of the trainer's own optimizer step (forward with dropout, backward, clipping, AdamW) on a fresh model of
 * the job's shape and synthetic tokens, on the backend that runs; each step's wall time, the loss read back
 * included, goes to `onStep` as it ends. The first step carries shader compilation and allocation.
 */
export async function probeSteps(
  job: ProbeJob,
  steps: number,
  onStep: (s: ProbeStep) => void,
): Promise<void> {
  const config = scratchConfig(job.vocab, {
    num_hidden_layers: job.layers,
    hidden_size: job.hidden,
    num_attention_heads: job.heads,
    intermediate_size: job.intermediate,
    max_position_embeddings: Math.max(512, job.seqLen),
  });
  const lora = job.lora ? { ...DEFAULT_LORA, r: job.lora.r, targets: job.lora.targets } : null;
  const training = syntheticTraining(config, job.batchSize, job.seqLen, lora);
  try {
    for (let k = 0; k < steps; k++) {
      const t0 = performance.now();
      const loss = training.run(k);
      await loss.data();
      loss.dispose();
      const ms = performance.now() - t0;
      onStep({ ms, bytes: bytesHeld(tf.memory() as tf.MemoryInfo & { numBytesInGPUAllocated?: number }) });
    }
  } finally {
    training.dispose();
  }
}
