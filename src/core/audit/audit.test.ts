import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../data/dataset';
import { makeLabelSpec } from '../data/labels';
import { sampleReviews } from '../data/sample';
import { seededRandom } from '../data/split';
import { TabTuneError } from '../errors';
import { AUDIT_MAX_ROWS, auditRowLimit, classicalAudit, MIN_ROWS_PER_FOLD } from './audit';
import { describeAudit } from './report';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 600 synthetic reviews, 30 of their ratings flipped across the scale (r → 6 − r, never a 3). */
function noisy(n = 600, flips = 30) {
  const examples: Example[] = sampleReviews(n, 3).map((r, i) => ({
    line: i + 2,
    text: r.review,
    pair: null,
    rating: r.rating,
  }));
  const random = seededRandom(9);
  const flipped = new Set<number>();
  while (flipped.size < flips) {
    const i = Math.floor(random() * n);
    if (examples[i]!.rating !== 3) flipped.add(i);
  }
  for (const i of flipped) examples[i] = { ...examples[i]!, rating: 6 - examples[i]!.rating };
  return { examples, flipped };
}

describe('classicalAudit', () => {
  it('ranks flipped ratings first, suggests the rating the text says, and names the words behind it', async () => {
    const { examples, flipped } = noisy();
    const spec = makeLabelSpec(
      'regression',
      examples.map((e) => e.rating),
    );
    const folds: number[] = [];
    const r = await classicalAudit(spec, examples, { folds: 5, seed: 1, onFold: (d) => folds.push(d) });
    expect(folds).toEqual([1, 2, 3, 4, 5]);
    expect(r.rows).toHaveLength(600);
    const top = r.rows.slice(0, 30);
    expect(top.filter((row) => flipped.has(row.index)).length).toBeGreaterThanOrEqual(20);
    for (const row of top.filter((x) => flipped.has(x.index)).slice(0, 5)) {
      expect(Math.abs(row.suggested - (6 - row.given))).toBeLessThanOrEqual(1);
      expect(row.words.length).toBeGreaterThan(0);
      // The words push away from the given rating: positive phrases for a flipped 1, negative for a flipped 5.
      expect(examples[row.index]!.text.toLowerCase()).toContain(row.words[0]!.split(' ')[0]!);
    }
    expect(r.rows[0]!.suspicion).toBeGreaterThanOrEqual(r.rows[1]!.suspicion);
    expect(r.estimatedWrong).toBeGreaterThan(10);
    expect(describeAudit(r, spec)).toMatch(/^About \d+ of 600 labels .* look wrong/);
  });

  it('audits classes by self-confidence, and binary labels', async () => {
    const { examples, flipped } = noisy(400, 20);
    for (const task of ['classification', 'binary'] as const) {
      const spec = makeLabelSpec(
        task,
        examples.map((e) => e.rating),
      );
      const r = await classicalAudit(spec, examples, { folds: 4, seed: 2 });
      const hits = r.rows.slice(0, 40).filter((row) => flipped.has(row.index)).length;
      expect(hits, task).toBeGreaterThanOrEqual(10);
      for (const row of r.rows) expect(row.suspicion).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses too few rows for the folds, one fold, and fewer copy groups than folds — by name', async () => {
    const { examples } = noisy(100, 0);
    const spec = makeLabelSpec(
      'regression',
      examples.map((e) => e.rating),
    );
    await expect(
      classicalAudit(spec, examples.slice(0, 5 * MIN_ROWS_PER_FOLD - 1), { folds: 5, seed: 1 }),
    ).rejects.toThrow(
      /An audit in 5 folds needs at least 50 labelled rows .* there are 49\. Use fewer folds or add rows\./,
    );
    await expect(classicalAudit(spec, examples, { folds: 1, seed: 1 })).rejects.toThrow(
      /Folds must be a whole number of 2 or more/,
    );
    const copies = examples.map((e, i) => ({ ...e, text: `same text ${i % 3}` }));
    await expect(classicalAudit(spec, copies, { folds: 5, seed: 1 })).rejects.toThrow(TabTuneError);
    await expect(classicalAudit(spec, copies, { folds: 5, seed: 1 })).rejects.toThrow(/3 groups of copies/);
  });

  it('stops between folds when its signal is aborted', async () => {
    const { examples } = noisy(200, 0);
    const spec = makeLabelSpec(
      'regression',
      examples.map((e) => e.rating),
    );
    const stop = new AbortController();
    const p = classicalAudit(spec, examples, {
      folds: 5,
      seed: 1,
      signal: stop.signal,
      onFold: (d) => d === 2 && stop.abort(),
    });
    await expect(p).rejects.toThrow(/The label audit was stopped before its end; nothing was changed/);
  });
});

describe('auditRowLimit', () => {
  it('audits a random 200,000 of a bigger file unless a row limit says otherwise, and says so', () => {
    expect(auditRowLimit(AUDIT_MAX_ROWS, null)).toEqual({ limit: null, note: null });
    const big = auditRowLimit(1_000_000, null);
    expect(big.limit).toEqual({ rows: AUDIT_MAX_ROWS, pick: 'random' });
    expect(big.note).toBe(
      "The file's 1,000,000 rows are more than one audit reads: it audited a random 200,000 of them (the same for the same seed; a row limit sets another number).",
    );
    const own = { rows: 50_000, pick: 'first' as const };
    expect(auditRowLimit(1_000_000, own)).toEqual({ limit: own, note: null });
  });
});
