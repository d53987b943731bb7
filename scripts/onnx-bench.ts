// npm run onnx-bench — the ONNX export's sizes, and inference speed in transformers.js (Node) beside TabTune's own
// `predict` on the same rows, for the BERT-tiny and BERT-mini shapes (a 30,522-token vocabulary, random weights:
// speed and size depend on the shape only). Each shape's folder is written as `train` writes one (config.json,
// tokenizer files, model.safetensors, onnx/), then scored three ways on the same reviews, batch by batch,
// tokenization included: TabTune (loadCheckpoint → predictAll, Node's WASM backend, as `cli predict`),
// transformers.js fp32 (onnx/model.onnx) and q8 (onnx/model_quantized.onnx). Beside them, when Debian's
// python3-torch is installed, the PyTorch peer's inference (scripts/reference/bench_torch.py) at batch × max
// length on random tokens. Prints JSON; nothing here is asserted anywhere.
//   npm run onnx-bench -- [--csv ../shared/fixtures/womens-clothing-reviews.csv]
//     [--vocab ../shared/fixtures/wordpiece-vocab-uncased.txt] [--rows 512] [--max-length 128] [--batch-size 32]
//     [--shapes tiny,mini] [--no-torch]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { AutoModelForSequenceClassification, AutoTokenizer, env } from '@huggingface/transformers';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { folderSource } from '../src/cli/folderSource';
import { loadCheckpoint } from '../src/core/checkpoint/load';
import { writeSafetensors } from '../src/core/checkpoint/safetensors';
import { readCsvBytes } from '../src/core/data/csv';
import { SequenceClassifier } from '../src/core/model/classifier';
import { scratchConfig } from '../src/core/model/scratch';
import { onnxFiles } from '../src/core/onnx/export';
import { predictAll } from '../src/core/train/evaluate';
import { loadFineTuned } from '../src/core/train/fineTuned';
import { tokenizerJsonFromVocab } from '../src/core/tokenizer/tokenizerJson';
import { parseVocab } from '../src/core/tokenizer/vocab';
import { BENCH_SHAPES, type BenchShape } from '../src/lab/bench';
import { PYTHON, torchInstalled } from './torchPeer';
import { registerKernels } from '../src/core/runtime/registerKernels';

const { values: v } = parseArgs({
  options: {
    csv: { type: 'string', default: '../shared/fixtures/womens-clothing-reviews.csv' },
    vocab: { type: 'string', default: '../shared/fixtures/wordpiece-vocab-uncased.txt' },
    text: { type: 'string', default: 'Review Text' },
    rows: { type: 'string', default: '512' },
    'max-length': { type: 'string', default: '128' },
    'batch-size': { type: 'string', default: '32' },
    shapes: { type: 'string', default: 'tiny,mini' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
tf.env().set('PROD', true);
registerKernels(); // TabTune's own kernels, as chooseBackend registers them
await tf.setBackend('wasm');
const maxLength = Number(v['max-length']);
const batchSize = Number(v['batch-size']);
const table = readCsvBytes(readFileSync(v.csv), v.csv);
const texts = table.rows
  .map((r) => r.values[v.text] ?? '')
  .filter((t) => t.trim() !== '')
  .slice(0, Number(v.rows));
const tokens = parseVocab(readFileSync(v.vocab, 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-onnx-bench-'));
env.allowRemoteModels = false;
env.localModelPath = tmp;

const json = (x: unknown) => new TextEncoder().encode(JSON.stringify(x, null, 2));
const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;
const rate = (ms: number) => Math.round((texts.length / (ms / 1000)) * 10) / 10;

/** A regression model of this shape, written as train writes its folder. */
async function writeFolder(shape: BenchShape): Promise<string> {
  const config = scratchConfig(tokens.length, { ...BENCH_SHAPES[shape], max_position_embeddings: 512 });
  const model = new SequenceClassifier(config, new Map(), 1, 7);
  const tensors = await model.exportedWeights();
  model.dispose();
  const files = new Map<string, Uint8Array>([
    [
      'config.json',
      json({
        ...config,
        architectures: ['BertForSequenceClassification'],
        model_type: 'bert',
        num_labels: 1,
        tabtune: {
          task: 'regression',
          scale: { min: 1, max: 5 },
          threshold: 4,
          classes: [],
          text_column: v.text,
          text_pair_column: null,
        },
      }),
    ],
    ['tokenizer.json', json(tokenizerJsonFromVocab(tokens))],
    [
      'tokenizer_config.json',
      json({
        tokenizer_class: 'BertTokenizer',
        do_lower_case: true,
        model_max_length: maxLength,
        unk_token: '[UNK]',
        sep_token: '[SEP]',
        pad_token: '[PAD]',
        cls_token: '[CLS]',
        mask_token: '[MASK]',
      }),
    ],
    ['model.safetensors', writeSafetensors(tensors, { format: 'pt', producer: 'TabTune' })],
    ...onnxFiles(config, tensors),
  ]);
  for (const [name, bytes] of files) {
    mkdirSync(dirname(join(tmp, shape, name)), { recursive: true });
    writeFileSync(join(tmp, shape, name), bytes);
  }
  return join(tmp, shape);
}

async function tabtune(folder: string): Promise<{ ms: number; scores: number[] }> {
  const t0 = performance.now();
  const ckpt = await loadCheckpoint(folderSource(folder));
  const f = loadFineTuned(ckpt);
  const encoded = texts.map((t) => ckpt.tokenizer.encode(t, null, f.maxLength));
  const p = await predictAll(f.model, f.spec, encoded, ckpt.tokenizer.padId, batchSize);
  const ms = performance.now() - t0;
  f.model.dispose();
  return { ms, scores: p.map((x) => x.score) };
}

async function transformersJs(
  shape: string,
  dtype: 'fp32' | 'q8',
): Promise<{ ms: number; scores: number[] }> {
  const t0 = performance.now();
  const tokenizer = await AutoTokenizer.from_pretrained(shape);
  const model = await AutoModelForSequenceClassification.from_pretrained(shape, { dtype });
  const scores: number[] = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    const inputs = await tokenizer(texts.slice(i, i + batchSize), { padding: true, truncation: true });
    const { logits } = await model(inputs);
    for (const l of logits.data as Float32Array) scores.push(1 + l * 4);
  }
  const ms = performance.now() - t0;
  await model.dispose();
  return { ms, scores };
}

const results = [];
const torch = !v['no-torch'] && torchInstalled();
for (const shape of v.shapes.split(',') as BenchShape[]) {
  log(`${shape}: writing the folder…`);
  const folder = await writeFolder(shape);
  const size = (f: string) => mb(statSync(join(folder, f)).size);
  // Each measured twice; the second run counts (the first loads code and warms caches).
  await tabtune(folder);
  const mine = await tabtune(folder);
  await transformersJs(shape, 'fp32');
  const fp32 = await transformersJs(shape, 'fp32');
  await transformersJs(shape, 'q8');
  const q8 = await transformersJs(shape, 'q8');
  const worst = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
  const peer = torch
    ? (
        JSON.parse(
          execFileSync(
            PYTHON,
            [
              'scripts/reference/bench_torch.py',
              '--shapes',
              shape,
              '--batch',
              String(batchSize),
              '--seq',
              String(maxLength),
              '--steps',
              '3',
            ],
            { encoding: 'utf8' },
          ),
        ) as { results: Array<{ inferenceExamplesPerSecond: number }> }
      ).results[0]!.inferenceExamplesPerSecond
    : null;
  results.push({
    shape,
    rows: texts.length,
    batchSize,
    maxLength,
    sizesMB: {
      safetensors: size('model.safetensors'),
      onnx: size('onnx/model.onnx'),
      onnxQuantized: size('onnx/model_quantized.onnx'),
    },
    examplesPerSecond: {
      tabtunePredict: rate(mine.ms),
      transformersJsFp32: rate(fp32.ms),
      transformersJsQ8: rate(q8.ms),
      pytorchRandom32x128: peer,
    },
    largestRatingDifference: { fp32: worst(fp32.scores, mine.scores), q8: worst(q8.scores, mine.scores) },
  });
  log(JSON.stringify(results.at(-1)));
}
rmSync(tmp, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
