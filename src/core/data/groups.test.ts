import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { buildDataset, groupsOf, summarizeBadRows } from './dataset';
import { groupedSplit } from './split';
import { DEFAULT_TRAIN_CONFIG } from '../train/config';
import { computeMetrics } from '../train/evaluate';
import { prepareData } from '../train/prepare';

// 300 rows of 30 users (user 0 has 1 row, the others 3–17), ratings 1–5.
const rows = Array.from({ length: 300 }, (_, i) => `text ${i},${1 + (i % 5)},u${(i * 7) % 30}`);
const csv = parseCsv(`review,rating,user\n${rows.join('\n')}\n`, 'g.csv');
const roles = { text: 'review', pair: null, label: 'rating', group: 'user' };

describe('group column', () => {
  it("reads each row's group id, and lists a row without one instead of dropping it", () => {
    const t = parseCsv('review,rating,user\ngood,5,u1\nfine,3, \nbad,1,u2\n', 'e.csv');
    const d = buildDataset(t, roles, 'e.csv');
    expect(groupsOf(d.examples)).toEqual(['u1', 'u2']);
    expect(d.badRows).toEqual([{ line: 3, reason: 'empty group id in "user"' }]);
    expect(summarizeBadRows(d.badRows)).toBe('1 row(s) cannot be used: 1 empty group id');
    expect(groupsOf(buildDataset(t, { ...roles, group: null }, 'e.csv').examples)).toBeNull();
  });

  it('a group column that does not exist is named', () => {
    expect(() => prepareData(csv, { ...roles, group: 'customer_id' }, 'g.csv', DEFAULT_TRAIN_CONFIG)).toThrow(
      /customer_id/,
    );
  });
});

describe('groupedSplit', () => {
  const groups = Array.from({ length: 300 }, (_, i) => `u${(i * 7) % 30}`);

  it("keeps every group's rows in one split, covers each row once, and is near the shares asked for", () => {
    const s = groupedSplit(groups, { validation: 0.1, test: 0.1 }, 42);
    const where = new Map<string, string>();
    for (const split of ['train', 'validation', 'test'] as const)
      for (const i of s[split]) {
        const g = groups[i]!;
        expect(where.get(g) ?? split, `group ${g}`).toBe(split);
        where.set(g, split);
      }
    expect([...s.train, ...s.validation, ...s.test].sort((a, b) => a - b)).toEqual([...groups.keys()]);
    expect(s.validation.length).toBeGreaterThanOrEqual(30);
    expect(s.validation.length).toBeLessThan(50);
    expect(s.test.length).toBeGreaterThanOrEqual(30);
  });

  it('is the same for the same seed and differs for another', () => {
    const a = groupedSplit(groups, { validation: 0.1, test: 0.1 }, 1);
    expect(groupedSplit(groups, { validation: 0.1, test: 0.1 }, 1)).toEqual(a);
    expect(groupedSplit(groups, { validation: 0.1, test: 0.1 }, 2).test).not.toEqual(a.test);
  });

  it('prepareData uses it when asked, and says a group column is needed when there is none', () => {
    const d = prepareData(csv, roles, 'g.csv', { ...DEFAULT_TRAIN_CONFIG, groupSplit: true });
    const trainGroups = new Set(d.train.map((e) => e.group));
    for (const e of [...d.validation, ...d.test]) expect(trainGroups.has(e.group)).toBe(false);
    const mixed = prepareData(csv, roles, 'g.csv', DEFAULT_TRAIN_CONFIG);
    expect(mixed.test.some((e) => new Set(mixed.train.map((t) => t.group)).has(e.group))).toBe(true);
    expect(() =>
      prepareData(csv, { ...roles, group: null }, 'g.csv', { ...DEFAULT_TRAIN_CONFIG, groupSplit: true }),
    ).toThrow(/Keeping each group in one split needs a group column/);
  });
});

describe('computeMetrics with groups', () => {
  const spec = { task: 'regression' as const, scale: { min: 1, max: 5 }, threshold: 4, classes: [] };
  it('adds the ranking metrics when the rows have groups, and none otherwise', () => {
    const outputs = [[1], [0], [0.5], [0.75]]; // scaled ratings 5, 1, 3, 4
    const m = computeMetrics(spec, outputs, [5, 1, 2, 4], 0.1, ['a', 'a', 'b', 'b']);
    expect(m.ranking).toEqual({ groups: 2, ndcg5: 1, ndcg10: 1, map: 1, groupAuc: 1, aucGroups: 2 });
    expect(computeMetrics(spec, outputs, [5, 1, 2, 4], 0.1).ranking).toBeNull();
  });
});
