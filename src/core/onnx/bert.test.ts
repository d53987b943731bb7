import * as tf from '@tensorflow/tfjs';
import { AutoModelForSequenceClassification, env, Tensor } from '@huggingface/transformers';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../cli/folderSource';
import { loadCheckpoint } from '../checkpoint/load';
import { SequenceClassifier } from '../model/classifier';
import { bertOnnx } from './bert';

const fixtures = new URL('../../../test-fixtures/models/', import.meta.url).pathname;
const inputs = JSON.parse(readFileSync(`${fixtures}inputs.json`, 'utf8')) as {
  single: Array<{ input_ids: number[]; token_type_ids: number[] }>;
  pair: Array<{ input_ids: number[]; token_type_ids: number[] }>;
};

const tmp = mkdtempSync(join(tmpdir(), 'tabtune-onnx-variants-'));
env.allowRemoteModels = false;
env.localModelPath = tmp;

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The rows padded to one length: ids, types and mask as [B, T] arrays. */
function batch(rows: Array<{ input_ids: number[]; token_type_ids: number[] }>, pad = 0) {
  const t = Math.max(...rows.map((r) => r.input_ids.length)) + pad;
  const fill = (r: number[], v: number) => [...r, ...Array<number>(t - r.length).fill(v)];
  return {
    ids: rows.map((r) => fill(r.input_ids, 0)),
    types: rows.map((r) => fill(r.token_type_ids, 0)),
    mask: rows.map((r) =>
      fill(
        r.input_ids.map(() => 1),
        0,
      ),
    ),
    shape: [rows.length, t],
  };
}

/**
 * TabTune's logits and transformers.js's for the same batch: the ONNX file in a folder with the checkpoint's
 * config.json, loaded as a web page would (the ids given as tensors: the tokenizer is not what is tested here).
 */
async function both(
  model: SequenceClassifier,
  onnx: Uint8Array,
  b: ReturnType<typeof batch>,
  folder: string,
  config: Record<string, unknown>,
) {
  const mine = tf.tidy(() =>
    model.forward({
      inputIds: tf.tensor2d(b.ids, undefined, 'int32'),
      tokenTypeIds: tf.tensor2d(b.types, undefined, 'int32'),
      attentionMask: tf.tensor2d(b.mask, undefined, 'int32'),
    }),
  );
  const expected = Array.from(await mine.data());
  mine.dispose();
  mkdirSync(join(tmp, folder, 'onnx'), { recursive: true });
  writeFileSync(join(tmp, folder, 'onnx', 'model.onnx'), onnx);
  writeFileSync(
    join(tmp, folder, 'config.json'),
    JSON.stringify({
      ...config,
      architectures: ['BertForSequenceClassification'],
      num_labels: model.numLabels,
    }),
  );
  const loaded = await AutoModelForSequenceClassification.from_pretrained(folder, { dtype: 'fp32' });
  const i64 = (v: number[][]) => new Tensor('int64', BigInt64Array.from(v.flat().map(BigInt)), b.shape);
  const { logits } = await loaded({
    input_ids: i64(b.ids),
    attention_mask: i64(b.mask),
    token_type_ids: i64(b.types),
  });
  return { expected, got: Array.from(logits.data as Float32Array), dims: logits.dims };
}

describe('ONNX export of every checkpoint variant: transformers.js gives the logits TabTune computes', () => {
  for (const variant of ['st-gelu', 'st-f16-relu', 'bin-bf16-gelu', 'bin-gelu-new-legacy'])
    it(`${variant}: float32 within 1e-4, padding included`, async () => {
      const ckpt = await loadCheckpoint(folderSource(`${fixtures}${variant}`));
      const model = new SequenceClassifier(ckpt.config, ckpt.weights, 3, 5);
      const weights = new Map(ckpt.weights);
      for (const [n, v] of model.head)
        weights.set(n, { shape: v.shape, data: (await v.data()) as Float32Array });
      for (const [n, v] of model.bert.params)
        weights.set(n, { shape: v.shape, data: (await v.data()) as Float32Array });
      const onnx = bertOnnx(ckpt.config, weights, { quantized: false });
      const b = batch([...inputs.single.slice(0, 3), ...inputs.pair.slice(0, 2)], 3);
      const { expected, got, dims } = await both(model, onnx, b, variant, ckpt.rawConfig);
      expect(dims).toEqual([5, 3]);
      const worst = Math.max(...got.map((g, i) => Math.abs(g - expected[i]!)));
      expect(worst).toBeLessThan(1e-4);
      expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(1e-3); // logits that say something
      model.dispose();
    });
});
