import { describe, expect, it } from 'vitest';
import { auditFolds, auditUnits } from './folds';

describe('auditFolds', () => {
  it('keeps every copy of a text in one fold, and the folds near equal', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `text ${i % 150}`); // 50 texts twice
    const fold = auditFolds(keys, null, 5, 1);
    const foldOf = new Map<string, number>();
    keys.forEach((k, i) => {
      expect(foldOf.get(k) ?? fold[i]).toBe(fold[i]);
      foldOf.set(k, fold[i]!);
    });
    const sizes = [0, 1, 2, 3, 4].map((f) => fold.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
  });

  it("keeps a group's rows in one fold, and rows joined through a chain of copies and groups", () => {
    // a–b share a group, b–c share a text, c–d share a group: a, b, c, d are one unit.
    const keys = ['a', 'b', 'b', 'd', ...Array.from({ length: 40 }, (_, i) => `x${i}`)];
    const groups = ['g1', 'g1', 'g2', 'g2', ...Array.from({ length: 40 }, (_, i) => `u${i}`)];
    const fold = auditFolds(keys, groups, 4, 3);
    expect(new Set([fold[0], fold[1], fold[2], fold[3]]).size).toBe(1);
    expect(auditUnits(keys, groups)).toBe(41);
  });

  it('is the same for the same seed, and another for another seed', () => {
    const keys = Array.from({ length: 100 }, (_, i) => `t${i}`);
    expect(auditFolds(keys, null, 5, 7)).toEqual(auditFolds(keys, null, 5, 7));
    expect(auditFolds(keys, null, 5, 7)).not.toEqual(auditFolds(keys, null, 5, 8));
  });
});
