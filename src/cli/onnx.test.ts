import { env, AutoModelForSequenceClassification, AutoTokenizer, pipeline } from '@huggingface/transformers';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { cli } from './testCli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictionOf } from '../core/data/labels';
import { sampleCsv } from '../core/data/sample';
import { labelSpecFromConfig } from '../core/train/export';
import { auc } from '../core/metrics/metrics';
import { PAIR_EXAMPLE, TEXT_EXAMPLE, webUsage } from '../core/onnx/usage';

/*
 * The export's ONNX files, proven by the client a web page would use: transformers.js (in Node, on ONNX Runtime)
 * loads the folder `train` wrote as it is — nothing fetched — and gives the scores `predict` gives.
 */
const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-onnx-'));
env.allowRemoteModels = false;
env.localModelPath = tmp;

/**
 * The runs whose exports are checked: the three tasks on text pairs, a LoRA run (its export holds the merged
 * model), and one on single texts (what transformers.js's text-classification pipeline takes).
 */
const runs: Record<string, string[]> = {
  regression: ['--task', 'regression'],
  classification: ['--task', 'classification'],
  binary: ['--task', 'binary'],
  lora: ['--task', 'regression', '--lora', 'r=4,targets=query+value+intermediate.dense'],
  single: ['--task', 'classification'],
  'multi-label': ['--task', 'multi-label'],
};
/** The flags that name a run's labels: the rating, or (multi-label) two 0/1 columns made from it (`withLabels`). */
const labels = (run: string) =>
  run === 'multi-label' ? ['--label-columns', 'high,low'] : ['--label-column', 'rating'];
/** The sample rows with two 0/1 labels, high (rating ≥ 4) and low (rating ≤ 2), for the multi-label run. */
function withLabels(csv: string): string {
  const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
  const data = parsed.data.map((r) => ({
    ...r,
    high: Number(r.rating) >= 4 ? '1' : '0',
    low: Number(r.rating) <= 2 ? '1' : '0',
  }));
  return Papa.unparse(data);
}
/** The flags that name the texts a run reads. */
const texts = (run: string) => [
  '--text-column',
  'review',
  ...(run === 'single' ? [] : ['--text-pair-column', 'customer']),
];
const train = join(tmp, 'train.csv');
const heldOut = join(tmp, 'held-out.csv');
const rows = () =>
  Papa.parse<Record<string, string>>(readFileSync(heldOut, 'utf8'), { header: true, skipEmptyLines: true })
    .data;

beforeAll(() => {
  writeFileSync(train, withLabels(sampleCsv(400, 11)));
  writeFileSync(heldOut, withLabels(sampleCsv(120, 12)));
  for (const [name, flags] of Object.entries(runs)) {
    const r = cli(
      'train',
      '--model',
      'scratch',
      '--data',
      train,
      ...texts(name),
      ...labels(name),
      '--epochs',
      '2',
      '--batch-size',
      '16',
      '--max-length',
      '64',
      '--lr',
      '1e-3',
      '--no-classical',
      ...flags,
      '--out',
      join(tmp, name),
    );
    if (r.code !== 0) throw new Error(r.stderr);
  }
}, 600_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** transformers.js's logits for the held-out rows (text and pair), from the folder's ONNX file of `dtype`. */
async function logits(folder: string, dtype: 'fp32' | 'q8'): Promise<number[][]> {
  const tokenizer = await AutoTokenizer.from_pretrained(folder);
  const model = await AutoModelForSequenceClassification.from_pretrained(folder, { dtype });
  const data = rows();
  const pairs = folder === 'single' ? {} : { text_pair: data.map((r) => r.customer!) };
  const inputs = await tokenizer(
    data.map((r) => r.review!),
    { ...pairs, padding: true, truncation: true },
  );
  const { logits: out } = await model(inputs);
  const [n, k] = out.dims as [number, number];
  const flat = Array.from(out.data as Float32Array);
  return Array.from({ length: n }, (_, i) => flat.slice(i * k, (i + 1) * k));
}

/** What `predict` wrote for the held-out rows: the score, and the class probabilities. */
function predicted(task: string): Array<{ score: number; probabilities: number[] }> {
  const out = join(tmp, `${task}-predict.csv`);
  const r = cli('predict', '--model', join(tmp, task), '--data', heldOut, ...texts(task), '--out', out);
  if (r.code !== 0) throw new Error(r.stderr);
  const parsed = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  return parsed.data.map((row) => ({
    score: Number(row.score),
    probabilities: Object.keys(row)
      .filter((c) => c.startsWith('p_'))
      .map((c) => Number(row[c])),
  }));
}

describe('ONNX export: transformers.js loads the folder train wrote, and scores as predict does', () => {
  for (const task of Object.keys(runs))
    it(`${task}: float32 within 1e-4 of predict, for every held-out row`, async () => {
      // From scratch, a LoRA run's export is its merged model alone (no adapter/: its random base exists nowhere else).
      if (task === 'lora') expect(existsSync(join(tmp, task, 'adapter'))).toBe(false);
      for (const f of ['onnx/model.onnx', 'onnx/model_quantized.onnx'])
        expect(existsSync(join(tmp, task, f))).toBe(true);
      const config = JSON.parse(readFileSync(join(tmp, task, 'config.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const { spec } = labelSpecFromConfig(config, task);
      const fromOnnx = (await logits(task, 'fp32')).map((l) => predictionOf(spec, l));
      const fromPredict = predicted(task);
      expect(fromOnnx).toHaveLength(120);
      fromOnnx.forEach((p, i) => {
        if (spec.task === 'classification' || spec.task === 'multi-label')
          p.probabilities!.forEach((q, k) =>
            expect(Math.abs(q - fromPredict[i]!.probabilities[k]!)).toBeLessThan(1e-4),
          );
        else expect(Math.abs(p.score - fromPredict[i]!.score)).toBeLessThan(1e-4);
      });
    }, 120_000);

  it("the text-classification pipeline names each row's most likely rating as predict does", async () => {
    const classify = await pipeline('text-classification', 'single');
    const data = rows().slice(0, 10);
    const fromPredict = predicted('single').slice(0, 10);
    for (const [i, r] of data.entries()) {
      const [top] = (await classify(r.review!)) as Array<{ label: string }>;
      expect(top!.label).toBe(`rating ${fromPredict[i]!.score}`);
    }
  }, 120_000);

  it('the lines the model card and the Export panel show run as written, and score as predict maps the logits', async () => {
    const dir = join(root, 'node_modules', '.tabtune-test'); // inside node_modules: the import resolves as in an app
    mkdirSync(dir, { recursive: true });
    for (const task of ['regression', 'binary', 'classification', 'single', 'multi-label']) {
      const config = JSON.parse(readFileSync(join(tmp, task, 'config.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const { spec } = labelSpecFromConfig(config, task);
      const pair = task === 'single' ? null : 'customer';
      const file = join(dir, `${task}.mjs`);
      writeFileSync(file, webUsage({ spec, pair, folder: task, modelsPath: `${tmp}/` }));
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      const tokenizer = await AutoTokenizer.from_pretrained(task);
      const model = await AutoModelForSequenceClassification.from_pretrained(task, { dtype: 'q8' });
      const inputs = await tokenizer([TEXT_EXAMPLE], {
        ...(pair ? { text_pair: [PAIR_EXAMPLE] } : {}),
        padding: true,
        truncation: true,
      });
      const expected = predictionOf(spec, Array.from((await model(inputs)).logits.data as Float32Array));
      if (spec.task === 'multi-label') {
        // The labels at or over their thresholds, and each label's probability, by name.
        const printed = JSON.parse(r.stdout) as { labels: string[]; probabilities: Record<string, number> };
        spec.labels!.forEach((name, k) =>
          expect(printed.probabilities[name]).toBeCloseTo(expected.probabilities![k]!, 5),
        );
        expect(printed.labels).toEqual(
          spec.labels!.filter((_, k) => expected.probabilities![k]! >= spec.labelThresholds![k]!),
        );
      } else expect(Number(r.stdout.trim())).toBeCloseTo(expected.score, 5);
    }
    rmSync(dir, { recursive: true, force: true });
    // The README's lines are these lines, for a regression model of one text (so this test runs them too).
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(
      webUsage({ spec: { task: 'regression', classes: [] }, pair: null }),
    );
  }, 120_000);

  it('int8: about a quarter of the size, and the held-out AUC within 0.01 of float32', async () => {
    const size = (f: string) => statSync(join(tmp, 'regression', 'onnx', f)).size;
    const ratio = size('model_quantized.onnx') / size('model.onnx');
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(0.3);
    const positive = rows().map((r) => Number(r.rating) >= 4);
    const floatAuc = auc(
      positive,
      (await logits('regression', 'fp32')).map((l) => l[0]!),
    )!;
    const int8Auc = auc(
      positive,
      (await logits('regression', 'q8')).map((l) => l[0]!),
    )!;
    expect(floatAuc).toBeGreaterThan(0.7); // a model that learned something, so the comparison means something
    expect(Math.abs(int8Auc - floatAuc)).toBeLessThan(0.01);
  }, 120_000);

  it('export-onnx adds onnx/ to an export made before train wrote it, byte for byte the same', () => {
    const old = join(tmp, 'old');
    cpSync(join(tmp, 'binary'), old, { recursive: true });
    rmSync(join(old, 'onnx'), { recursive: true });
    const r = cli('export-onnx', '--model', old);
    expect(r.code).toBe(0);
    for (const f of ['onnx/model.onnx', 'onnx/model_quantized.onnx'])
      expect(readFileSync(join(old, f)).equals(readFileSync(join(tmp, 'binary', f)))).toBe(true);
  });

  it('export-onnx refuses a base model with no classifier, saying what to do', () => {
    const r = cli(
      'export-onnx',
      '--model',
      join(root, 'test-fixtures/models/st-gelu'),
      '--out',
      join(tmp, 'base'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no classifier.weight, classifier.bias');
    expect(r.stderr).toContain('it is a base model, not one fine-tuned for a task');
  });
});
