// Writes test-fixtures/export/: a TabTune export (classification, 5 ratings) built from the st-gelu test
// checkpoint with a seeded head and a few training steps, for the Hugging Face compatibility check
// (scripts/reference/export_golden.py computes what transformers' BertForSequenceClassification outputs).
//   npx tsx scripts/reference/make-export-fixture.ts && /usr/bin/python3 scripts/reference/export_golden.py
// With --lora, test-fixtures/lora/tabtune-export/: the export of a LoRA run — the merged model and adapter/ — for the
// PEFT compatibility check (scripts/reference/lora_golden.py applies the adapter by PEFT's rules, writes the logits).
//   npx tsx scripts/reference/make-export-fixture.ts --lora && /usr/bin/python3 scripts/reference/lora_golden.py
// With --multi-label, test-fixtures/multilabel/tabtune-export/: a multi-label export (the item and "liked" as tags).
//   npx tsx scripts/reference/make-export-fixture.ts --multi-label &&
//   /usr/bin/python3 scripts/reference/export_golden.py test-fixtures/multilabel/tabtune-export
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { folderSource } from '../../src/cli/folderSource';
import { loadCheckpoint } from '../../src/core/checkpoint/load';
import { parseCsv } from '../../src/core/data/csv';
import { buildDataset } from '../../src/core/data/dataset';
import { makeLabelSpec, multiLabelSpec, numLabels } from '../../src/core/data/labels';
import { labelNames } from '../../src/core/data/labelSets';
import { sampleCsv, sampleReviews } from '../../src/core/data/sample';
import { SequenceClassifier } from '../../src/core/model/classifier';
import { LoraWeights } from '../../src/core/model/lora';
import { DEFAULT_TRAIN_CONFIG } from '../../src/core/train/config';
import { exportFiles } from '../../src/core/train/export';
import { train } from '../../src/core/train/trainer';
import { registerKernels } from '../../src/core/runtime/registerKernels';

const withLora = process.argv.includes('--lora');
const multi = process.argv.includes('--multi-label');
const root = new URL('../../test-fixtures/', import.meta.url).pathname;
registerKernels(); // TabTune's own kernels, as chooseBackend registers them
await tf.setBackend('cpu');
tf.env().set('PROD', true);
const base = await loadCheckpoint(folderSource(`${root}models/st-gelu`));
/** The sample rows with a tag column: the item, and "liked" for a rating ≥ 4. */
function tagged(): string {
  const q = (x: string) => (/[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x);
  const rows = sampleReviews(60, 9).map((r) =>
    [
      r.review,
      r.item,
      r.customer,
      String(r.rating),
      [r.item, r.rating >= 4 ? 'liked' : ''].filter(Boolean).join(';'),
    ]
      .map(q)
      .join(','),
  );
  return ['review,item,customer,rating,tags', ...rows].join('\n');
}
const ds = buildDataset(
  parseCsv(multi ? tagged() : sampleCsv(60, 9), 'sample.csv'),
  multi
    ? { text: 'review', pair: 'customer', label: 'tags', labelSeparator: ';' }
    : { text: 'review', pair: 'customer', label: 'rating' },
  'sample.csv',
);
const spec = multi
  ? multiLabelSpec(
      labelNames(
        ds.examples.slice(0, 40).map((e) => e.tags ?? []),
        { tagColumn: 'tags', separator: ';' },
        'sample.csv',
      ),
    )
  : makeLabelSpec(
      'classification',
      ds.examples.map((e) => e.rating),
    );
const config = {
  ...DEFAULT_TRAIN_CONFIG,
  task: multi ? ('multi-label' as const) : ('classification' as const),
  maxLength: 24,
  batchSize: 8,
  epochs: 1,
  learningRate: withLora ? 2e-2 : 1e-3,
  lora: withLora
    ? { r: 4, alpha: 8, dropout: 0.1, targets: ['query', 'value', 'intermediate.dense'], rslora: false }
    : null,
  evalsPerEpoch: withLora ? 1 : DEFAULT_TRAIN_CONFIG.evalsPerEpoch,
  earlyStopping: { metric: 'auc' as const, patience: 0 },
};
const model = new SequenceClassifier(base.config, base.weights, numLabels(spec), 5);
if (config.lora) model.bert.lora = LoraWeights.init(base.config, config.lora, 3);
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
const out = withLora
  ? `${root}lora/tabtune-export`
  : multi
    ? `${root}multilabel/tabtune-export`
    : `${root}export`;
for (const [name, bytes] of files) {
  mkdirSync(dirname(`${out}/${name}`), { recursive: true });
  writeFileSync(`${out}/${name}`, bytes);
}
console.log(`wrote ${files.size} files to ${out} (${result.steps} training steps)`);
