// npm run soak — a long run's memory: 10,000 training steps of a tiny BERT (the trainer the studio's Worker runs,
// here in Node on WASM) with an evaluation every epoch, printing TF.js's live tensors and bytes and the process's
// heap and resident memory every 1,000 steps. Flat numbers mean nothing leaks per step or per evaluation. Prints
// JSON; nothing here is asserted anywhere (the unit tests check a few hundred steps).
//   npm run soak -- [--steps 10000] [--backend wasm|cpu]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { parseArgs } from 'node:util';
import { parseCsv } from '../src/core/data/csv';
import { buildDataset } from '../src/core/data/dataset';
import { makeLabelSpec } from '../src/core/data/labels';
import { sampleCsv } from '../src/core/data/sample';
import { stratifiedSplit } from '../src/core/data/split';
import { SequenceClassifier } from '../src/core/model/classifier';
import { learnVocab, scratchConfig } from '../src/core/model/scratch';
import { BertTokenizer } from '../src/core/tokenizer/bertTokenizer';
import { DEFAULT_TRAIN_CONFIG } from '../src/core/train/config';
import { train } from '../src/core/train/trainer';
import { registerKernels } from '../src/core/runtime/registerKernels';

const { values: v } = parseArgs({
  options: { steps: { type: 'string', default: '10000' }, backend: { type: 'string', default: 'wasm' } },
});
tf.env().set('PROD', true);
registerKernels(); // TabTune's own kernels, as chooseBackend registers them
await tf.setBackend(v.backend!);
const ds = buildDataset(
  parseCsv(sampleCsv(400, 5), 's.csv'),
  { text: 'review', pair: null, label: 'rating' },
  's',
);
const vocab = learnVocab(
  ds.examples.map((e) => e.text),
  2000,
);
const tokenizer = BertTokenizer.fromVocab(`${vocab.join('\n')}\n`);
const config = scratchConfig(vocab.length, {
  hidden_size: 32,
  num_attention_heads: 2,
  intermediate_size: 64,
  max_position_embeddings: 64,
});
const split = stratifiedSplit(
  ds.examples.map((e) => e.rating),
  { validation: 0.1, test: 0.1 },
  1,
);
const pick = (idx: number[]) => idx.map((i) => ds.examples[i]!);
const batchSize = 8;
const stepsPerEpoch = Math.ceil(split.train.length / batchSize);
const steps = Number(v.steps);
const model = new SequenceClassifier(config, new Map(), 1, 3);
const samples: Array<Record<string, number>> = [];
const sample = (step: number) => {
  const m = tf.memory();
  const p = process.memoryUsage();
  samples.push({
    step,
    tensors: m.numTensors,
    tensorMB: Number((m.numBytes / 2 ** 20).toFixed(2)),
    heapMB: Number((p.heapUsed / 2 ** 20).toFixed(1)),
    rssMB: Number((p.rss / 2 ** 20).toFixed(1)),
  });
  process.stderr.write(`${JSON.stringify(samples.at(-1))}\n`);
};
const t0 = performance.now();
await train({
  model,
  tokenizer,
  spec: makeLabelSpec(
    'regression',
    ds.examples.map((e) => e.rating),
  ),
  config: {
    ...DEFAULT_TRAIN_CONFIG,
    batchSize,
    maxLength: 24,
    learningRate: 1e-3,
    epochs: Math.ceil(steps / stepsPerEpoch),
    evalsPerEpoch: 1,
    earlyStopping: { metric: 'auc', patience: 0 },
  },
  train: pick(split.train),
  validation: pick(split.validation),
  test: pick(split.test),
  events: { progress: (p) => p.step % 1000 === 0 && sample(p.step) },
});
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ backend: v.backend, steps: stepsPerEpoch * Math.ceil(steps / stepsPerEpoch), seconds: Number(seconds.toFixed(1)), samples }, null, 2)}\n`,
);
