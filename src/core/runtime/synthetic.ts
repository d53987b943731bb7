import * as tf from '@tensorflow/tfjs';
import type { PaddedBatch } from '../batch';
import { SequenceClassifier } from '../model/classifier';
import type { BertConfig } from '../model/config';
import { dropoutRates } from '../model/dropout';
import { LoraWeights, type LoraConfig } from '../model/lora';
import { AdamW } from '../train/adamw';
import { OptimizerStep } from '../train/step';
import { trainableNames } from '../train/optimizerFor';

/**
 * A fresh model and the trainer's own step on synthetic tokens (batch × seqLen, every position attended):
 * what the backend probe and the benchmark time, and the memory test measures. The caller disposes it.
 */
export function syntheticTraining(
  config: BertConfig,
  batchSize: number,
  seqLen: number,
  lora: LoraConfig | null = null,
) {
  const model = new SequenceClassifier(config, new Map(), 1, 1);
  if (lora) model.bert.lora = LoraWeights.init(config, lora, 1);
  const named = new Map(model.namedParameters());
  const trainable = trainableNames(model, { embeddings: false, bottomLayers: 0, headOnly: false });
  const params = new Map(trainable.map((n) => [n, named.get(n) as tf.Variable]));
  const optimizer = new AdamW(params);
  const step = new OptimizerStep({
    model,
    task: 'regression',
    params,
    optimizer,
    maxGradNorm: 1,
    dropout: dropoutRates(config, null),
    seed: 1,
  });
  const n = batchSize * seqLen;
  const ids = Int32Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % (config.vocab_size - 1)));
  const batch: PaddedBatch = {
    batchSize,
    seqLen,
    inputIds: ids,
    tokenTypeIds: new Int32Array(n),
    attentionMask: new Int32Array(n).fill(1),
  };
  const micro = [{ batch, targets: Array.from({ length: batchSize }, (_, i) => (i % 5) / 4) }];
  return {
    model,
    micro,
    /** Optimizer step k; returns its loss, still on the device. */
    run: (k: number) => step.run(micro, k, 1e-4),
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}
