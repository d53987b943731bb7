import type * as tf from '@tensorflow/tfjs';
import type { LabelSpec } from '../data/labels';
import type { SequenceClassifier } from '../model/classifier';
import { dropoutRates } from '../model/dropout';
import { AdamW, DEFAULT_ADAMW } from './adamw';
import type { TrainConfig } from './config';
import { OptimizerStep } from './step';

/** AdamW over the parameters that train (the config's freezing rules) and the optimizer step the run takes. */
export function optimizerFor(
  model: SequenceClassifier,
  config: TrainConfig,
  task: LabelSpec['task'],
): { optimizer: AdamW; stepper: OptimizerStep } {
  const named = new Map(model.namedParameters());
  const params = new Map(trainableNames(model, config.freeze).map((n) => [n, named.get(n) as tf.Variable]));
  const optimizer = new AdamW(params, { ...DEFAULT_ADAMW, weightDecay: config.weightDecay });
  const stepper = new OptimizerStep({
    model,
    task,
    params,
    optimizer,
    maxGradNorm: config.maxGradNorm,
    dropout: dropoutRates(model.bert.config, config.dropout),
    seed: config.seed,
  });
  return { optimizer, stepper };
}

/** Names of the parameters that train under the config's freezing rules. */
export function trainableNames(model: SequenceClassifier, freeze: TrainConfig['freeze']): string[] {
  const lora = model.bert.lora !== null;
  return model
    .namedParameters()
    .map(([name]) => name)
    .filter((name) => {
      if (name.startsWith('classifier.')) return true;
      // With LoRA only its updates train (and the head); the base weights and the pooler stay, as in PEFT.
      if (lora) return name.includes('.lora_');
      if (freeze.headOnly) return false;
      if (freeze.embeddings && name.startsWith('bert.embeddings.')) return false;
      const layer = /^bert\.encoder\.layer\.(\d+)\./.exec(name);
      return !(layer && Number(layer[1]) < freeze.bottomLayers);
    });
}
