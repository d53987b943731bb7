import { describe, expect, it } from 'vitest';
import { explainedScore, explanation, signed, strength } from './explanation';
import { multiLabelSpec } from '../data/labels';

describe('the attributions view: what it says of a score', () => {
  const a = {
    tokens: ['[CLS]', 'soft', '##ly', 'bad', '[SEP]'],
    attributions: [0, 0.25, 0.125, -0.5, 0],
    score: 3.5,
    baselineScore: 3.625,
    explainedClass: null,
    explainedLabel: null,
  };
  it('names what is explained for each task, and merges word pieces', () => {
    const reg = explanation(a, { task: 'regression', scale: { min: 1, max: 5 }, threshold: 4, classes: [] });
    expect(reg.explains).toBe('predicted rating');
    expect(reg.words.map((w) => [w.word, w.attribution])).toEqual([
      ['softly', 0.375],
      ['bad', -0.5],
    ]);
    expect(
      explanation(a, { task: 'binary', scale: { min: 1, max: 5 }, threshold: 4, classes: [] }).explains,
    ).toBe('P(rating ≥ 4)');
    const cls = { ...a, explainedClass: 5 };
    expect(
      explanation(cls, { task: 'classification', scale: { min: 1, max: 5 }, threshold: 4, classes: [1, 5] })
        .explains,
    ).toBe('P(rating = 5)');
    const multi = { ...multiLabelSpec(['dress', 'sizing']) };
    expect(explanation({ ...a, explainedLabel: 'sizing' }, multi).explains).toBe('P(sizing)');
    expect(explainedScore(multi, null)).toBe('probability of the most likely label');
  });

  it('writes signs plainly and tints by the share of the largest attribution', () => {
    expect([signed(0.1234), signed(-0.05), signed(0), signed(-0.0001)]).toEqual([
      '+0.123',
      '−0.050',
      '±0.000',
      '±0.000',
    ]);
    const words = explanation(a, {
      task: 'regression',
      scale: { min: 1, max: 5 },
      threshold: 4,
      classes: [],
    }).words;
    expect(words.map((w) => strength(w.attribution, words))).toEqual([0.75, 1]);
    expect(strength(0, [])).toBe(0);
  });
});
