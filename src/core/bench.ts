import * as tf from '@tensorflow/tfjs';
import { SequenceClassifier } from './model/classifier';
import { scratchConfig } from './model/scratch';
import { AdamW, clipFactor } from './train/adamw';
import { taskLoss } from './train/loss';

/** The fixed workloads of `npm run bench`: Google's BERT miniatures' shapes on a 30,522-token vocabulary. */
export const BENCH_SHAPES = {
  tiny: { num_hidden_layers: 2, hidden_size: 128, num_attention_heads: 2, intermediate_size: 512 },
  mini: { num_hidden_layers: 4, hidden_size: 256, num_attention_heads: 4, intermediate_size: 1024 },
} as const;
export type BenchShape = keyof typeof BENCH_SHAPES;

export interface BenchOptions {
  shape: BenchShape;
  batchSize: number;
  seqLen: number;
  /** Measured steps, after one warm-up step (shader compilation, allocation). */
  steps: number;
}

export interface BenchResult {
  shape: BenchShape;
  backend: string;
  batchSize: number;
  seqLen: number;
  steps: number;
  trainExamplesPerSecond: number;
  inferenceExamplesPerSecond: number;
}

/**
 * Full fine-tuning steps (forward, backward, clipping, AdamW on every tensor) and inference passes on
 * random tokens, timed with asynchronous reads as training does them.
 */
export async function runBenchmark(o: BenchOptions): Promise<BenchResult> {
  const config = scratchConfig(30522, { ...BENCH_SHAPES[o.shape], max_position_embeddings: 512 });
  const model = new SequenceClassifier(config, new Map(), 1, 1);
  const params = new Map(model.namedParameters());
  const vars = [...params.values()];
  const byVarName = new Map([...params].map(([n, v]) => [v.name, n]));
  const optimizer = new AdamW(params);
  const shape: [number, number] = [o.batchSize, o.seqLen];
  const inputs = {
    inputIds: tf.randomUniform(shape, 1000, 30000, 'int32') as tf.Tensor2D,
    tokenTypeIds: tf.zeros(shape, 'int32') as tf.Tensor2D,
    attentionMask: tf.ones(shape, 'int32') as tf.Tensor2D,
  };
  const targets = tf.randomUniform([o.batchSize]) as tf.Tensor1D;
  const trainStep = async () => {
    const { value, grads } = tf.variableGrads(
      () => taskLoss('regression', model.forward(inputs, true), targets),
      vars,
    );
    const named = new Map(Object.entries(grads).map(([k, g]) => [byVarName.get(k) as string, g]));
    const [factor, norm] = clipFactor([...named.values()], 1);
    const ok = tf.scalar(true, 'bool');
    optimizer.apply(named, 1e-4, factor, ok);
    tf.dispose([...named.values(), factor, norm, ok]);
    await value.data();
    value.dispose();
  };
  const inferStep = async () => {
    const logits = model.forward(inputs);
    await logits.data();
    logits.dispose();
  };
  const time = async (step: () => Promise<void>) => {
    await step();
    const t0 = performance.now();
    for (let i = 0; i < o.steps; i++) await step();
    return (o.batchSize * o.steps * 1000) / (performance.now() - t0);
  };
  const train = await time(trainStep);
  const infer = await time(inferStep);
  tf.dispose([inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask, targets]);
  optimizer.dispose();
  model.dispose();
  return {
    shape: o.shape,
    backend: tf.getBackend(),
    batchSize: o.batchSize,
    seqLen: o.seqLen,
    steps: o.steps,
    trainExamplesPerSecond: Number(train.toFixed(2)),
    inferenceExamplesPerSecond: Number(infer.toFixed(2)),
  };
}
