import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classScores, erf, ratingScores } from './score';

// Independently computed with numpy and scipy (scripts/reference/audit_golden.py).
const golden = JSON.parse(readFileSync('test-fixtures/audit/scores.json', 'utf8')) as {
  ratings: {
    given: number[];
    predicted: number[];
    scale: { min: number; max: number };
    suspicion: number[];
    estimatedWrong: number;
    sigma: number;
  }[];
  classes: {
    given: number[];
    probabilities: number[][];
    values: number[];
    gap: number;
    suspicion: number[];
    estimatedWrong: number;
  }[];
};

describe('ratingScores', () => {
  it.each(golden.ratings.map((c, i) => [i, c] as const))('case %i equals the reference', (_, c) => {
    const s = ratingScores(c.given, c.predicted, c.scale);
    expect(s.sigma).toBeCloseTo(c.sigma, 10);
    expect(s.estimatedWrong).toBe(c.estimatedWrong);
    c.suspicion.forEach((v, i) => expect(s.suspicion[i]).toBeCloseTo(v, 6));
  });

  it('ranks a one-star review predicted at 4.8 above a four-star predicted at 3.1', () => {
    const s = ratingScores([1, 4, 5, 3], [4.8, 3.1, 4.6, 3.2], { min: 1, max: 5 });
    expect(s.suspicion[0]).toBeGreaterThan(s.suspicion[1]!);
    expect(s.suspicion[0]).toBeGreaterThan(0.9);
    expect(s.estimatedWrong).toBe(1);
  });
});

describe('classScores', () => {
  it.each(golden.classes.map((c, i) => [i, c] as const))('case %i equals the reference', (_, c) => {
    const s = classScores(c.given, c.probabilities, c.values, c.gap);
    expect(s.estimatedWrong).toBe(c.estimatedWrong);
    c.suspicion.forEach((v, i) => expect(s.suspicion[i]).toBeCloseTo(v, 12));
  });
});

describe('erf', () => {
  it('matches known values to 1e-7', () => {
    for (const [x, v] of [
      [0, 0],
      [0.5, 0.5204998778],
      [1, 0.8427007929],
      [2, 0.995322265],
      [-1, -0.8427007929],
    ] as const)
      expect(Math.abs(erf(x) - v)).toBeLessThan(2e-7);
  });
});
