import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../cli/folderSource';
import { loadCheckpoint } from '../checkpoint/load';
import { embedRows } from '../embed';
import { BertModel } from './bert';

const models = new URL('../../../test-fixtures/models/', import.meta.url).pathname;
const inputs = JSON.parse(readFileSync(`${models}inputs.json`, 'utf8')) as {
  single: Array<{ input_ids: number[]; token_type_ids: number[] }>;
  pair: Array<{ input_ids: number[]; token_type_ids: number[] }>;
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Each fixture is a random-weight checkpoint in Hugging Face layout, with golden outputs from PyTorch
// (scripts/reference/make_checkpoints.py): safetensors F32/F16 and pytorch_model.bin F32/BF16, with and
// without the "bert." prefix, legacy LayerNorm names, gelu / gelu_new / relu.
// On WASM too: there the model's matrix products take the plain-operand path (model/matmul.ts).
const fixtures = ['st-gelu', 'bin-gelu-new-legacy', 'st-f16-relu', 'bin-bf16-gelu'];
describe.each([...fixtures.map((f) => [f, 'cpu']), ...fixtures.map((f) => [f, 'wasm'])])(
  'BertModel on %s (%s backend)',
  (name, backend) => {
    const golden = JSON.parse(readFileSync(`${models}${name}/golden.json`, 'utf8'));
    beforeAll(async () => {
      await tf.setBackend(backend as string);
    });

    it('matches Hugging Face BertModel within 1e-4 (padded batch: [CLS] state and pooled output)', async () => {
      const ckpt = await loadCheckpoint(folderSource(`${models}${name}`));
      const model = new BertModel(ckpt.config, ckpt.weights);
      for (const kind of ['single', 'pair'] as const) {
        const rows = inputs[kind];
        const T = Math.max(...rows.map((r) => r.input_ids.length));
        const pad = (s: number[]) => [...s, ...new Array<number>(T - s.length).fill(0)];
        const out = model.forward({
          inputIds: tf.tensor2d(
            rows.map((r) => pad(r.input_ids)),
            undefined,
            'int32',
          ),
          tokenTypeIds: tf.tensor2d(
            rows.map((r) => pad(r.token_type_ids)),
            undefined,
            'int32',
          ),
          attentionMask: tf.tensor2d(
            rows.map((r) => pad(r.input_ids.map(() => 1))),
            undefined,
            'int32',
          ),
        });
        const h = ckpt.config.hidden_size;
        const cls = out.lastHiddenState.slice([0, 0, 0], [rows.length, 1, h]).dataSync();
        expect(maxAbsDiff(cls, golden[kind].cls.flat())).toBeLessThan(1e-4);
        expect(maxAbsDiff(out.pooled.dataSync(), golden[kind].pooled.flat())).toBeLessThan(1e-4);
        const n0 = rows[0]!.input_ids.length;
        const first = out.lastHiddenState.slice([0, 0, 0], [1, n0, h]).dataSync();
        expect(maxAbsDiff(first, golden[kind].first_last_hidden_state.flat())).toBeLessThan(1e-4);
        tf.dispose([out.lastHiddenState, out.pooled]);
      }
      model.dispose();
    });

    it('gives the same outputs one row at a time as in a padded batch (padding is masked)', async () => {
      const ckpt = await loadCheckpoint(folderSource(`${models}${name}`));
      const model = new BertModel(ckpt.config, ckpt.weights);
      const before = tf.memory().numTensors;
      const rows = inputs.pair.slice(0, 3);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        const out = model.forward({
          inputIds: tf.tensor2d([r.input_ids], undefined, 'int32'),
          tokenTypeIds: tf.tensor2d([r.token_type_ids], undefined, 'int32'),
          attentionMask: tf.tensor2d([r.input_ids.map(() => 1)], undefined, 'int32'),
        });
        expect(maxAbsDiff(out.pooled.dataSync(), golden.pair.pooled[i])).toBeLessThan(1e-4);
        tf.dispose([out.lastHiddenState, out.pooled]);
      }
      // Only the 3 × 3 input tensors above outlive forward(); nothing inside it leaks.
      expect(tf.memory().numTensors - before).toBe(9);
      model.dispose();
    });

    if (name.startsWith('bin')) {
      it('reads a non-contiguous (transposed) classifier weight and reports the skipped keys', async () => {
        const ckpt = await loadCheckpoint(folderSource(`${models}${name}`));
        expect(ckpt.report.classifierLabels).toBe(3);
        const w = ckpt.weights.get('classifier.weight')!;
        expect(w.shape).toEqual([3, 16]);
        expect(maxAbsDiff(w.data, golden.classifier_weight.flat())).toBe(0);
        expect(ckpt.report.unexpected).toEqual([]);
        expect(ckpt.report.initialized).toEqual([]);
      });
    }
  },
);

describe('embedRows', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  it('yields HF-equal ids and vectors in input order', async () => {
    const ckpt = await loadCheckpoint(folderSource(`${models}st-gelu`));
    const model = new BertModel(ckpt.config, ckpt.weights);
    const golden = JSON.parse(readFileSync(`${models}st-gelu/golden.json`, 'utf8'));
    const Papa = (await import('papaparse')).default;
    const csv = Papa.parse<Record<string, string>>(
      readFileSync(new URL('../../../test-fixtures/data/reviews-sample.csv', import.meta.url), 'utf8'),
      { header: true, skipEmptyLines: true },
    ).data;
    const rows = csv.map((r) => ({ text: r.review ?? '', pair: r.user ?? '' }));
    let i = 0;
    for await (const rec of embedRows(model, ckpt.tokenizer, rows, { maxLength: 24, batchSize: 4 })) {
      expect(rec.input_ids).toEqual(inputs.pair[i]!.input_ids);
      expect(rec.token_type_ids).toEqual(inputs.pair[i]!.token_type_ids);
      expect(maxAbsDiff(rec.cls, golden.pair.cls[i])).toBeLessThan(1e-4);
      expect(maxAbsDiff(rec.pooled, golden.pair.pooled[i])).toBeLessThan(1e-4);
      i++;
    }
    expect(i).toBe(10);
  });
});
