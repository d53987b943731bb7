import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../cli/folderSource';
import { loadCheckpoint, type LoadedCheckpoint } from '../checkpoint/load';
import type { LabelSpec } from '../data/labels';
import { SequenceClassifier } from '../model/classifier';
import { DEFAULT_TRAIN_CONFIG } from '../train/config';
import { runTraining, type FinishedRun } from '../train/run';
import { integratedGradients } from './integratedGradients';
import { wordAttributions } from './words';

const fixtures = new URL('../../../test-fixtures/models/', import.meta.url).pathname;
const specs: Record<string, LabelSpec> = {
  regression: { task: 'regression', scale: { min: 1, max: 5 }, threshold: 4, classes: [] },
  binary: { task: 'binary', scale: { min: 1, max: 5 }, threshold: 4, classes: [] },
  classification: {
    task: 'classification',
    scale: { min: 1, max: 5 },
    threshold: 4,
    classes: [1, 2, 3, 4, 5],
  },
};

/** IG of `model` on one text (or pair), with the checkpoint's tokenizer. */
const explain = (
  model: SequenceClassifier,
  ckpt: LoadedCheckpoint,
  spec: LabelSpec,
  text: string,
  pair: string | null = null,
) =>
  integratedGradients(
    model,
    spec,
    ckpt.tokenizer.encode(text, pair, 48),
    (id) => ckpt.tokenizer.idToToken(id) ?? '?',
    ckpt.tokenizer.padId,
  );

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('wasm');
});

describe('integrated gradients: completeness (the attributions add up to score − baseline score)', () => {
  for (const [task, spec] of Object.entries(specs))
    it(`${task}, on a checkpoint fixture, within 1 % at the default 32 steps`, async () => {
      const ckpt = await loadCheckpoint(folderSource(`${fixtures}st-gelu`));
      const model = new SequenceClassifier(
        ckpt.config,
        ckpt.weights,
        spec.task === 'classification' ? 5 : 1,
        3,
      );
      const a = await explain(model, ckpt, spec, 'the dress runs small but the fabric is lovely', 'petite');
      const sum = a.attributions.reduce((x, y) => x + y, 0);
      const gap = a.score - a.baselineScore;
      expect(Math.abs(gap)).toBeGreaterThan(1e-4); // something to explain
      expect(Math.abs(sum - gap)).toBeLessThan(0.01 * Math.abs(gap));
      expect(a.tokens[0]).toBe('[CLS]');
      expect(a.tokens).toHaveLength(a.attributions.length);
      expect(a.explainedClass === null).toBe(spec.task !== 'classification');
      model.dispose();
    }, 60_000);
});

describe('integrated gradients find the word a model learned to score by', () => {
  const words = [
    'fabric',
    'dress',
    'color',
    'size',
    'shirt',
    'blue',
    'long',
    'wore',
    'fit',
    'waist',
    'ordered',
    'sleeves',
  ];
  let run: FinishedRun;
  beforeAll(async () => {
    // Ratings decided by one planted word: 5 with "zebra" in the text, 1 without.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rows = Array.from({ length: 400 }, (_, i) => {
      const text = Array.from({ length: 6 }, () => words[Math.floor(rand() * words.length)]!);
      const planted = i % 2 === 0;
      if (planted) text.splice(Math.floor(rand() * 6), 0, 'zebra');
      return { line: i + 2, values: { review: text.join(' '), rating: planted ? '5' : '1' } };
    });
    run = await runTraining({
      data: {
        table: { columns: ['review', 'rating'], rows, malformed: [], warnings: [] },
        file: 'planted.csv',
      },
      validation: null,
      roles: { text: 'review', pair: null, label: 'rating' },
      config: {
        ...DEFAULT_TRAIN_CONFIG,
        epochs: 3,
        batchSize: 16,
        maxLength: 16,
        learningRate: 1e-3,
        classicalBaseline: false,
        task: 'regression',
      },
      base: { kind: 'scratch' },
      backend: 'wasm',
    });
  }, 240_000);
  afterAll(() => run?.model.dispose());

  it('a planted keyword ranks first among the words of a text', async () => {
    const spec = run.data.spec;
    const a = await explain(run.model, run.checkpoint, spec, 'the blue dress zebra fit long sleeves');
    const ranked = wordAttributions(a.tokens, a.attributions).sort((x, y) => y.attribution - x.attribution);
    // The model learned the word: the same words score higher with it.
    const without = await explain(run.model, run.checkpoint, spec, 'the blue dress fit long sleeves');
    expect(a.score).toBeGreaterThan(without.score);
    expect(ranked[0]!.word).toBe('zebra');
  }, 60_000);

  it('re-initialising the weights changes the attributions (a model-randomisation sanity check)', async () => {
    const spec = run.data.spec;
    const text = 'the blue dress zebra fit long sleeves';
    const trained = await explain(run.model, run.checkpoint, spec, text);
    const random = new SequenceClassifier(run.model.bert.config, new Map(), 1, 99);
    const shuffled = await explain(random, run.checkpoint, spec, text);
    random.dispose();
    const rankOf = (x: typeof trained) =>
      wordAttributions(x.tokens, x.attributions).sort((p, q) => q.attribution - p.attribution)[0]!.word;
    const corr = correlation(trained.attributions, shuffled.attributions);
    expect(rankOf(trained)).toBe('zebra');
    expect(corr).toBeLessThan(0.8); // ~0.5 here; an explanation blind to the weights would give 1
  }, 60_000);
});

function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let num = 0;
  let da = 0;
  let db = 0;
  a.forEach((x, i) => {
    num += (x - ma) * (b[i]! - mb);
    da += (x - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}
