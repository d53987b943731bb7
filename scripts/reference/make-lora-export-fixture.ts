// Writes test-fixtures/lora/tabtune-export/: a TabTune export of a LoRA run (classification, 5 ratings) on the
// st-gelu test checkpoint — the merged model and adapter/ — for the PEFT compatibility check
// (scripts/reference/lora_golden.py applies the adapter by PEFT's rules and writes the logits).
//   npx tsx scripts/reference/make-lora-export-fixture.ts && /usr/bin/python3 scripts/reference/lora_golden.py
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { folderSource } from '../../src/cli/folderSource';
import { loadCheckpoint } from '../../src/core/checkpoint/load';
import { parseCsv } from '../../src/core/data/csv';
import { buildDataset } from '../../src/core/data/dataset';
import { makeLabelSpec } from '../../src/core/data/labels';
import { sampleCsv } from '../../src/core/data/sample';
import { SequenceClassifier } from '../../src/core/model/classifier';
import { LoraWeights } from '../../src/core/model/lora';
import { DEFAULT_TRAIN_CONFIG } from '../../src/core/train/config';
import { exportFiles } from '../../src/core/train/export';
import { train } from '../../src/core/train/trainer';

const root = new URL('../../test-fixtures/', import.meta.url).pathname;
await tf.setBackend('cpu');
tf.env().set('PROD', true);
const base = await loadCheckpoint(folderSource(`${root}models/st-gelu`));
const ds = buildDataset(
  parseCsv(sampleCsv(60, 9), 'sample.csv'),
  { text: 'review', pair: 'customer', label: 'rating' },
  'sample.csv',
);
const spec = makeLabelSpec(
  'classification',
  ds.examples.map((e) => e.rating),
);
const config = {
  ...DEFAULT_TRAIN_CONFIG,
  task: 'classification' as const,
  maxLength: 24,
  batchSize: 8,
  epochs: 1,
  learningRate: 2e-2,
  lora: { r: 4, alpha: 8, dropout: 0.1, targets: ['query', 'value', 'intermediate.dense'], rslora: false },
  earlyStopping: { metric: 'auc' as const, patience: 0 },
  evalsPerEpoch: 1,
};
const model = new SequenceClassifier(base.config, base.weights, spec.classes.length, 5);
model.bert.lora = LoraWeights.init(base.config, config.lora, 3);
const result = await train({
  model,
  tokenizer: base.tokenizer,
  config,
  spec,
  train: ds.examples.slice(0, 40),
  validation: ds.examples.slice(40, 50),
  test: ds.examples.slice(50),
});
const files = await exportFiles(model, base.rawConfig, base.tokenizerFiles, base.tokenizerConfig, {
  baseModel: 'test-fixtures/models/st-gelu',
  roles: ds.roles,
  trainConfig: config,
  spec,
  data: { file: 'sample.csv', usableRows: 60, badRows: 0, train: 40, validation: 10, test: 10 },
  result,
  backend: 'cpu',
  createdAt: '2026-11-29T00:00:00.000Z',
});
const out = `${root}lora/tabtune-export`;
mkdirSync(`${out}/adapter`, { recursive: true });
for (const [name, bytes] of files) writeFileSync(`${out}/${name}`, bytes);
console.log(`wrote ${files.size} files to ${out} (${result.steps} training steps)`);
