import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../cli/folderSource';
import { loadCheckpoint } from '../checkpoint/load';
import { numLabels, predictionOf } from '../data/labels';
import { SequenceClassifier } from '../model/classifier';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { modelOutputs } from './evaluate';
import { labelSpecFromConfig } from './export';

const fixtures = new URL('../../../test-fixtures/', import.meta.url).pathname;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('a TabTune export', () => {
  it('loads back and gives the logits Hugging Face BertForSequenceClassification computes, within 1e-4', async () => {
    // golden.json: scripts/reference/export_golden.py, which also checks the key set and shapes HF expects.
    const golden = JSON.parse(readFileSync(`${fixtures}export/golden.json`, 'utf8')) as {
      logits: number[][];
    };
    const inputs = JSON.parse(readFileSync(`${fixtures}models/inputs.json`, 'utf8')).pair as Array<{
      input_ids: number[];
      token_type_ids: number[];
    }>;
    const ckpt = await loadCheckpoint(folderSource(`${fixtures}export`));
    const { spec } = labelSpecFromConfig(ckpt.rawConfig, ckpt.source);
    expect(spec).toEqual({
      task: 'classification',
      scale: { min: 1, max: 5 },
      threshold: 4,
      classes: [1, 2, 3, 4, 5],
    });
    expect(ckpt.tokenizerFiles.has('tokenizer.json')).toBe(true);
    const model = new SequenceClassifier(ckpt.config, ckpt.weights, numLabels(spec));
    const encoded = inputs.map((r) => ({
      inputIds: r.input_ids,
      tokenTypeIds: r.token_type_ids,
      attentionMask: r.input_ids.map(() => 1),
    }));
    const outputs = await modelOutputs(model, encoded, 0, 4);
    let max = 0;
    outputs.forEach((row, i) =>
      row.forEach((v, k) => (max = Math.max(max, Math.abs(v - golden.logits[i]![k]!)))),
    );
    expect(max).toBeLessThan(1e-4);
    // The tokenizer that travels with the export (tokenizer.json) gives the same ids as the base model's
    // original vocab.txt, for single texts, pairs, accents, unknown words and truncation.
    const original = BertTokenizer.fromVocab(readFileSync(`${fixtures}models/st-gelu/vocab.txt`, 'utf8'), {
      do_lower_case: true,
    });
    const cases: Array<[string, string | null, number]> = [
      ['Great fit!', 'Customer, 34', 24],
      ['Café CRÈME, runs small; zzqxv unknownword', null, 24],
      [
        'a very long review that goes on and on and on about the fabric and the fit and the colour',
        'user 7',
        12,
      ],
    ];
    for (const [text, pair, max] of cases)
      expect(ckpt.tokenizer.encode(text, pair, max)).toEqual(original.encode(text, pair, max));
    model.dispose();
  });

  it('multi-label: by Hugging Face’s rule (problem_type, id2label), with the logits BertForSequenceClassification computes', async () => {
    // scripts/reference/export_golden.py test-fixtures/multilabel/tabtune-export: the config's multi-label rule,
    // the key set and shapes, and the logits; each label's probability is their sigmoid.
    const dir = `${fixtures}multilabel/tabtune-export`;
    const golden = JSON.parse(readFileSync(`${dir}/golden.json`, 'utf8')) as { logits: number[][] };
    const inputs = JSON.parse(readFileSync(`${fixtures}models/inputs.json`, 'utf8')).pair as Array<{
      input_ids: number[];
      token_type_ids: number[];
    }>;
    const ckpt = await loadCheckpoint(folderSource(dir));
    const { spec } = labelSpecFromConfig(ckpt.rawConfig, ckpt.source);
    expect(spec.task).toBe('multi-label');
    expect(ckpt.rawConfig.problem_type).toBe('multi_label_classification');
    expect(Object.values(ckpt.rawConfig.id2label as Record<string, string>)).toEqual(spec.labels);
    expect(spec.labelThresholds).toHaveLength(spec.labels!.length);
    const model = new SequenceClassifier(ckpt.config, ckpt.weights, numLabels(spec));
    const encoded = inputs.map((r) => ({
      inputIds: r.input_ids,
      tokenTypeIds: r.token_type_ids,
      attentionMask: r.input_ids.map(() => 1),
    }));
    const outputs = await modelOutputs(model, encoded, 0, 4);
    outputs.forEach((row, i) => {
      const p = predictionOf(spec, row).probabilities!;
      golden.logits[i]!.forEach((x, k) =>
        expect(Math.abs(p[k]! - 1 / (1 + Math.exp(-x)))).toBeLessThan(1e-5),
      );
    });
    model.dispose();
  });

  it('a config without a tabtune block cannot be used for predictions, and says why', () => {
    expect(() => labelSpecFromConfig({ model_type: 'bert' }, 'folder x')).toThrow(
      /folder x is not a model fine-tuned by TabTune/,
    );
  });
});
