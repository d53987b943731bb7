import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../data/csv';
import { buildDataset } from '../data/dataset';
import { makeLabelSpec } from '../data/labels';
import { sampleCsv } from '../data/sample';
import { SequenceClassifier } from '../model/classifier';
import { learnVocab, scratchConfig } from '../model/scratch';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { DEFAULT_TRAIN_CONFIG } from './config';
import {
  diverged,
  findLearningRate,
  smoothStep,
  BETA,
  suggestLearningRate,
  sweepLr,
  type LrPoint,
} from './lrFinder';

await tf.setBackend('cpu');
tf.env().set('PROD', true);

const options = { steps: 5, minLr: 1e-6, maxLr: 1e-2 };

/** The whole curve smoothed as the sweep smooths it point by point (`smoothStep`). */
function smoothLosses(losses: readonly number[], beta = BETA): number[] {
  let avg = 0;
  return losses.map((l, i) => {
    const s = smoothStep(avg, l, i, beta);
    avg = s.avg;
    return s.smoothed;
  });
}
/** A loss curve that falls until lr = 1e-2, then climbs: the classic range-test shape. */
function curve(): LrPoint[] {
  const o = { steps: 60, minLr: 1e-6, maxLr: 1 };
  const lrs = Array.from({ length: 60 }, (_, i) => sweepLr(i, o));
  const losses = lrs.map((lr) => 1 + 0.05 * (Math.log10(lr) + 2) ** 2);
  const smoothed = smoothLosses(losses);
  return lrs.map((lr, i) => ({ step: i, lr, loss: losses[i]!, smoothed: smoothed[i]! }));
}

describe('learning-rate finder, pure parts', () => {
  it('sweeps exponentially from the minimum to the maximum', () => {
    expect(sweepLr(0, options)).toBeCloseTo(1e-6, 18);
    expect(sweepLr(2, options)).toBeCloseTo(1e-4, 14);
    expect(sweepLr(4, options)).toBeCloseTo(1e-2, 14);
  });

  it('smooths with a bias-corrected moving average (the first value is the first loss)', () => {
    const s = smoothLosses([2, 4], 0.5);
    expect(s[0]).toBe(2);
    expect(s[1]).toBeCloseTo((0.5 * 0.5 * 2 + 0.5 * 4) / (1 - 0.25), 12);
  });

  it("suggests fastai's valley: half-way down the longest falling stretch, and says why", () => {
    const points = curve(); // falls to its minimum at 1e-2, then rises
    const end = points.reduce((best, p, i) => (p.smoothed < points[best]!.smoothed ? i : best), 0);
    // fastai: start = end − (length of the decreasing run) = −1, then start + ⌊L/3⌋ + ⌊L/6⌋ for L = end + 1.
    const at = -1 + Math.floor((end + 1) / 3) + Math.floor((end + 1) / 6);
    const { suggestion, reason } = suggestLearningRate(points);
    expect(points[end]!.lr).toBeGreaterThan(3e-3);
    expect(suggestion).toBe(Number(points[at]!.lr.toPrecision(2)));
    expect(reason).toMatch(/falls longest from .* half-way down that valley/);
  });

  it('suggests nothing when the loss never falls, or from too few steps', () => {
    const flat = curve().map((p, i) => ({ ...p, loss: 1 + i * 0.01, smoothed: 1 + i * 0.01 }));
    expect(suggestLearningRate(flat)).toMatchObject({
      suggestion: null,
      reason: expect.stringMatching(/never fell/),
    });
    expect(suggestLearningRate(curve().slice(0, 3)).suggestion).toBeNull();
  });

  it('stops the sweep on a non-finite loss or a smoothed loss past 4× its minimum', () => {
    const p = (loss: number, smoothed: number, step: number) => ({ step, lr: 1, loss, smoothed });
    expect(diverged([p(1, 1, 0), p(Number.NaN, 1, 1)])).toBe(true);
    const rising = Array.from({ length: 12 }, (_, i) => p(1, i === 11 ? 4.5 : 1, i));
    expect(diverged(rising)).toBe(true);
    expect(diverged(rising.slice(0, 11))).toBe(false);
  });
});

describe('findLearningRate on a tiny model', () => {
  it('records one point per step with growing rates, and puts every weight back', async () => {
    const ds = buildDataset(
      parseCsv(sampleCsv(120, 4), 's.csv'),
      { text: 'review', pair: null, label: 'rating' },
      's.csv',
    );
    const vocab = learnVocab(
      ds.examples.map((e) => e.text),
      500,
    );
    const tokenizer = BertTokenizer.fromVocab(`${vocab.join('\n')}\n`);
    const config = scratchConfig(vocab.length, {
      hidden_size: 16,
      num_attention_heads: 2,
      intermediate_size: 32,
      max_position_embeddings: 64,
    });
    const model = new SequenceClassifier(config, new Map(), 1, 3);
    const before = model.namedParameters().map(([n, v]) => [n, v.arraySync()] as const);
    const tensors = tf.memory().numTensors;
    const spec = makeLabelSpec(
      'regression',
      ds.examples.map((e) => e.rating),
    );
    const seen: LrPoint[] = [];
    const r = await findLearningRate({
      model,
      tokenizer,
      config: { ...DEFAULT_TRAIN_CONFIG, maxLength: 32, batchSize: 16 },
      spec,
      train: ds.examples,
      options: { steps: 12, minLr: 1e-5, maxLr: 1 },
      onPoint: (p) => seen.push(p),
    });
    expect(r.points.length).toBeGreaterThan(5);
    expect(r.points.length).toBeLessThanOrEqual(12);
    expect(seen).toEqual(r.points);
    r.points.forEach((p, i) => i > 0 && expect(p.lr).toBeGreaterThan(r.points[i - 1]!.lr));
    expect(r.points.every((p) => Number.isFinite(p.smoothed))).toBe(true);
    const smoothed = smoothLosses(r.points.map((p) => p.loss));
    r.points.forEach((p, i) => expect(p.smoothed).toBeCloseTo(smoothed[i]!, 12));
    for (const [n, v] of model.namedParameters())
      expect(v.arraySync(), n).toEqual(before.find(([m]) => m === n)![1]);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });
});
