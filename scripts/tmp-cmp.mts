import * as tf from '@tensorflow/tfjs';
import { folderSource } from '../src/cli/folderSource';
import { loadCheckpoint } from '../src/core/checkpoint/load';
import { filesSource } from '../src/core/checkpoint/source';
import { parseCsv } from '../src/core/data/csv';
import { sampleCsv } from '../src/core/data/sample';
import { SequenceClassifier } from '../src/core/model/classifier';
import { applyAdapter, readAdapter } from '../src/core/train/adapter';
import { DEFAULT_TRAIN_CONFIG } from '../src/core/train/config';
import { modelOutputs } from '../src/core/train/evaluate';
import { exportFiles } from '../src/core/train/export';
import { runTraining } from '../src/core/train/run';
await tf.setBackend('cpu');
const base = await loadCheckpoint(folderSource('test-fixtures/models/st-gelu'));
const run = await runTraining({
  data: { table: parseCsv(sampleCsv(100, 21), 'r.csv'), file: 'r.csv' }, validation: null,
  roles: { text: 'review', pair: null, label: 'rating' },
  config: { ...DEFAULT_TRAIN_CONFIG, epochs: 2, batchSize: 8, maxLength: 24, learningRate: 0.01, lora: { r: 4, alpha: 16, dropout: 0.05, targets: ['query', 'value'], rslora: false } },
  base: { kind: 'checkpoint', checkpoint: base }, backend: 'cpu',
});
console.log(run.record.result.bestStep, run.record.result.steps);
const files = await exportFiles(run.model, base.rawConfig, base.tokenizerFiles, base.tokenizerConfig, run.record);
const adapterFilesMap = new Map([...files].filter(([k]) => k.startsWith('adapter/')).map(([k, v]) => [k.slice(8), v]));
const a = applyAdapter(base, readAdapter(adapterFilesMap, base));
const merged = await loadCheckpoint(filesSource(new Map([...files].filter(([k]) => !k.startsWith('adapter/')))));
const m = new SequenceClassifier(merged.config, merged.weights, 1);
const enc = [base.tokenizer.encode('This dress: love it, fits perfectly, soft fabric.', null, 24)];
console.log('live', await modelOutputs(run.model, enc, 0, 1), 'adapter', await modelOutputs(a, enc, 0, 1), 'merged', await modelOutputs(m, enc, 0, 1));
