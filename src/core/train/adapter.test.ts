import * as tf from '@tensorflow/tfjs';
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../cli/folderSource';
import { loadCheckpoint, type LoadedCheckpoint } from '../checkpoint/load';
import { toFloat32 } from '../checkpoint/rawTensor';
import { readSafetensors, writeSafetensors } from '../checkpoint/safetensors';
import { SequenceClassifier } from '../model/classifier';
import { LoraWeights } from '../model/lora';
import { adapterFiles, applyAdapter, readAdapter } from './adapter';
import { modelOutputs } from './evaluate';
import { DEFAULT_TRAIN_CONFIG } from './config';
import { runTraining } from './run';
import { exportFiles } from './export';
import { trainableNames } from './optimizerFor';
import { parseCsv } from '../data/csv';
import { sampleCsv } from '../data/sample';

const fixtures = new URL('../../../test-fixtures/', import.meta.url).pathname;
const inputs = (
  JSON.parse(readFileSync(`${fixtures}models/inputs.json`, 'utf8')).pair as Array<{
    input_ids: number[];
    token_type_ids: number[];
  }>
).map((r) => ({
  inputIds: r.input_ids,
  tokenTypeIds: r.token_type_ids,
  attentionMask: r.input_ids.map(() => 1),
}));
const folder = (dir: string) =>
  new Map(
    readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(`${dir}/${f}`))] as [string, Uint8Array]),
  );
const maxGap = (a: number[][], b: number[][]) =>
  Math.max(...a.flatMap((row, i) => row.map((v, k) => Math.abs(v - b[i]![k]!))));
const golden = (dir: string) => JSON.parse(readFileSync(`${dir}/golden.json`, 'utf8')).logits as number[][];

let base: LoadedCheckpoint;
beforeAll(async () => {
  await tf.setBackend('cpu');
  base = await loadCheckpoint(folderSource(`${fixtures}models/st-gelu`));
});

describe('LoRA numerics', () => {
  it('with B = 0 the model is the base model exactly', async () => {
    const plain = new SequenceClassifier(base.config, base.weights, 3, 1);
    const lora = new SequenceClassifier(base.config, base.weights, 3, 1);
    lora.bert.lora = LoraWeights.init(
      base.config,
      { r: 4, alpha: 8, dropout: 0, targets: ['query', 'value', 'output.dense'], rslora: false },
      5,
    );
    expect(await modelOutputs(lora, inputs, 0, 4)).toEqual(await modelOutputs(plain, inputs, 0, 4));
    plain.dispose();
    lora.dispose();
  });

  it('a PEFT adapter (random A and B, rsLoRA, four targets) gives PyTorch’s logits within 1e-4', async () => {
    // scripts/reference/lora_golden.py: y + (x·Aᵀ)·Bᵀ · alpha/√r on each adapted layer, in PyTorch.
    const dir = `${fixtures}lora/peft-adapter`;
    const adapter = readAdapter(folder(dir), base);
    expect(adapter.lora).toMatchObject({ r: 4, alpha: 6, rslora: true });
    // query, value, intermediate.dense, and "output.dense" (which also matches attention.output.dense), in 2 layers
    expect(adapter.weights.size).toBe(5 * 2 * 2);
    const model = applyAdapter(base, adapter);
    expect(maxGap(await modelOutputs(model, inputs, 0, 4), golden(dir))).toBeLessThan(1e-4);
    model.dispose();
  });
});

describe('training with LoRA', () => {
  it('trains LoRA’s updates and the head only: the base weights and the pooler stay as loaded', async () => {
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      epochs: 1,
      batchSize: 16,
      maxLength: 16,
      learningRate: 1e-2,
      classicalBaseline: false,
      earlyStopping: { metric: 'loss' as const, patience: 0 },
      lora: { r: 2, alpha: 4, dropout: 0.1, targets: ['query', 'value'], rslora: false },
    };
    // A copy of every weight as loaded, taken before training (the checkpoint's own arrays must not change either).
    const asLoaded = new Map([...base.weights].map(([n, t]) => [n, Array.from(t.data)]));
    const run = await runTraining({
      data: { table: parseCsv(sampleCsv(80, 2), 's.csv'), file: 's.csv' },
      validation: null,
      roles: { text: 'review', pair: null, label: 'rating' },
      config,
      base: { kind: 'checkpoint', checkpoint: base },
      backend: 'cpu',
    });
    const trainable = trainableNames(run.model, config.freeze);
    expect(trainable).toHaveLength(2 * 2 * 2 + 2);
    expect(trainable.every((n) => n.includes('.lora_') || n.startsWith('classifier.'))).toBe(true);
    // Every encoder weight and the pooler came from the checkpoint, and each is still exactly as loaded.
    const names = [...run.model.bert.params.keys()];
    expect(names.filter((n) => !base.weights.has(n))).toEqual([]);
    expect(names).toContain('pooler.dense.weight');
    for (const [name, v] of run.model.bert.params)
      expect({ name, values: Array.from(await v.data()) }).toEqual({
        name,
        values: asLoaded.get(name),
      });
    for (const [name, t] of base.weights)
      expect({ name, values: Array.from(t.data) }).toEqual({ name, values: asLoaded.get(name) });
    const b = run.model.bert.lora!.params.get('encoder.layer.0.attention.self.query.lora_B.weight')!;
    expect(Math.max(...Array.from(await b.data()).map(Math.abs))).toBeGreaterThan(0);
    // The export: the merged model, adapter/, and train_hf.py carrying training_config.json's settings.
    const files = await exportFiles(
      run.model,
      base.rawConfig,
      base.tokenizerFiles,
      base.tokenizerConfig,
      run.record,
    );
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'model.safetensors',
        'adapter/adapter_config.json',
        'adapter/adapter_model.safetensors',
        'train_hf.py',
      ]),
    );
    const script = new TextDecoder().decode(files.get('train_hf.py'));
    const literal = /^SETTINGS = json\.loads\((".*")\)$/m.exec(script)![1]!;
    expect(JSON.parse(JSON.parse(literal) as string)).toEqual(
      JSON.parse(new TextDecoder().decode(files.get('training_config.json'))),
    );
    expect(script).toContain('from peft import LoraConfig, get_peft_model');
    expect(new TextDecoder().decode(files.get('README.md'))).toContain(
      'fine-tuned with LoRA (r 2, alpha 4, dropout 0.1, on query, value;',
    );
    run.model.dispose();
  }, 60_000);
});

describe('the adapter TabTune exports', () => {
  const dir = `${fixtures}lora/tabtune-export`;
  it('loads by PEFT’s rules onto the base and scores as PyTorch does; the merged model scores the same', async () => {
    // lora_golden.py checked the config fields, the key set and shapes, and wrote the logits of base + adapter.
    const adapter = readAdapter(folder(`${dir}/adapter`), base);
    expect(adapter.tabtune?.task).toBe('classification');
    const model = applyAdapter(base, adapter);
    expect(maxGap(await modelOutputs(model, inputs, 0, 4), golden(dir))).toBeLessThan(1e-4);
    const merged = await loadCheckpoint(folderSource(dir));
    const plain = new SequenceClassifier(merged.config, merged.weights, 5);
    expect(maxGap(await modelOutputs(plain, inputs, 0, 4), golden(dir))).toBeLessThan(1e-4);
    model.dispose();
    plain.dispose();
  });

  it('writes PEFT’s key names (no adapter name), the head, format "pt", and scores the same when read back', async () => {
    const model = new SequenceClassifier(base.config, base.weights, 2, 1);
    model.bert.lora = LoraWeights.init(
      base.config,
      { r: 2, alpha: 4, dropout: 0, targets: ['key'], rslora: false },
      9,
    );
    const files = await adapterFiles(
      model,
      'huggingface.co/prajjwal1/bert-tiny (main)',
      {
        task: 'binary',
        scale: { min: 1, max: 5 },
        threshold: 4,
        classes: [],
        text_column: 'review',
        text_pair_column: null,
      },
      48,
    );
    const config = JSON.parse(new TextDecoder().decode(files.get('adapter_config.json')));
    expect(config).toMatchObject({
      base_model_name_or_path: 'prajjwal1/bert-tiny',
      revision: 'main',
      target_modules: ['key'],
    });
    const keys = [...readSafetensors(files.get('adapter_model.safetensors')!).keys()].sort();
    expect(keys).toEqual([
      'base_model.model.bert.encoder.layer.0.attention.self.key.lora_A.weight',
      'base_model.model.bert.encoder.layer.0.attention.self.key.lora_B.weight',
      'base_model.model.bert.encoder.layer.1.attention.self.key.lora_A.weight',
      'base_model.model.bert.encoder.layer.1.attention.self.key.lora_B.weight',
      'base_model.model.classifier.bias',
      'base_model.model.classifier.weight',
    ]);
    model.dispose();
  });
});

describe('hostile adapter folders get clear messages', () => {
  const good = () => folder(`${fixtures}lora/peft-adapter`);
  const withConfig = (patch: Record<string, unknown>) => {
    const f = good();
    const c = JSON.parse(new TextDecoder().decode(f.get('adapter_config.json')));
    f.set('adapter_config.json', new TextEncoder().encode(JSON.stringify({ ...c, ...patch })));
    return f;
  };
  const withTensors = (
    edit: (t: Map<string, { name: string; shape: number[]; data: Float32Array }>) => void,
  ) => {
    const f = good();
    const raw = readSafetensors(f.get('adapter_model.safetensors')!);
    const t = new Map(
      [...raw].map(([name, r]) => [name, { name, shape: [...r.shape], data: toFloat32(r, name, 'a') }]),
    );
    edit(t);
    f.set('adapter_model.safetensors', writeSafetensors([...t.values()], { format: 'pt' }));
    return f;
  };
  const q0 = 'base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight';

  it.each([
    [
      'another PEFT type',
      () => withConfig({ peft_type: 'IA3' }),
      'this is a IA3 adapter; TabTune applies LoRA adapters only.',
    ],
    [
      'another task',
      () => withConfig({ task_type: 'CAUSAL_LM' }),
      'task_type is CAUSAL_LM; TabTune applies sequence-classification (SEQ_CLS) adapters.',
    ],
    [
      'a regex of targets',
      () => withConfig({ target_modules: '.*query' }),
      'target_modules must be a list of layer names',
    ],
    [
      'a layer BERT lacks',
      () => withConfig({ target_modules: ['q_proj'] }),
      'target "q_proj" is not one of BERT\'s layers',
    ],
    [
      'another base model',
      () => withConfig({ base_model_name_or_path: 'bert-base-uncased' }),
      /The adapter was trained on bert-base-uncased, but the loaded model is .*st-gelu\. Load bert-base-uncased first, then the adapter\./,
    ],
    [
      'a missing tensor',
      () => withTensors((t) => t.delete(q0)),
      `adapter_model.safetensors has no tensor "${q0}". Export the adapter again.`,
    ],
    [
      'an extra tensor',
      () =>
        withTensors((t) =>
          t.set('base_model.model.bert.pooler.dense.lora_A.weight', {
            name: 'base_model.model.bert.pooler.dense.lora_A.weight',
            shape: [4, 16],
            data: new Float32Array(64),
          }),
        ),
      'adapter_model.safetensors holds tensors PEFT would not load into this model: base_model.model.bert.pooler.dense.lora_A.weight',
    ],
    [
      'a wrong shape',
      () => withTensors((t) => t.set(q0, { name: q0, shape: [2, 16], data: new Float32Array(32) })),
      'lora_A.weight has shape [2, 16], but r = 4 and the layer is [16, 16]: [4, 16] is needed',
    ],
    [
      'only a .bin',
      () => {
        const f = good();
        f.delete('adapter_model.safetensors');
        f.set('adapter_model.bin', new Uint8Array(4));
        return f;
      },
      'The adapter folder has no adapter_model.safetensors (only adapter_model.bin: save it with safe_serialization=True).',
    ],
  ])('%s', (_, files, message) => {
    expect(() => readAdapter(files(), base)).toThrow(message);
  });
});
