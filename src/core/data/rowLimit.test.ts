import { describe, expect, it } from 'vitest';
import { prepareData, describeData } from '../train/prepare';
import { DEFAULT_TRAIN_CONFIG, validateTrainConfig } from '../train/config';
import { parseCsv } from './csv';
import { limitRows, rowSelection } from './rowLimit';
import { sampleCsv } from './sample';

const chosen = (s: Uint8Array | null) => (s === null ? null : [...s.keys()].filter((i) => s[i] === 1));

describe('row limit', () => {
  it('picks the first rows, or a seeded random sample of exactly that many; every row when the file is small', () => {
    expect(chosen(rowSelection(10, { rows: 3, pick: 'first' }, 1))).toEqual([0, 1, 2]);
    const a = chosen(rowSelection(1000, { rows: 100, pick: 'random' }, 42))!;
    expect(a).toHaveLength(100);
    expect(chosen(rowSelection(1000, { rows: 100, pick: 'random' }, 42))).toEqual(a);
    expect(chosen(rowSelection(1000, { rows: 100, pick: 'random' }, 43))).not.toEqual(a);
    expect(rowSelection(100, { rows: 100, pick: 'random' }, 42)).toBeNull();
    expect(rowSelection(100, null, 42)).toBeNull();
  });

  it('samples every part of the file alike (not the first rows): each half gets about half', () => {
    let firstHalf = 0;
    for (let seed = 0; seed < 200; seed++)
      firstHalf += chosen(rowSelection(1000, { rows: 50, pick: 'random' }, seed))!.filter(
        (i) => i < 500,
      ).length;
    expect(firstHalf / (200 * 50)).toBeGreaterThan(0.47);
    expect(firstHalf / (200 * 50)).toBeLessThan(0.53);
  });

  it('trains on the chosen rows, says so in the log, and a table already limited stays as it is', () => {
    const table = parseCsv(sampleCsv(300, 3), 's.csv');
    const config = { ...DEFAULT_TRAIN_CONFIG, rowLimit: { rows: 120, pick: 'random' as const } };
    const roles = { text: 'review', pair: null, label: 'rating' };
    const d = prepareData(table, roles, 's.csv', config);
    expect(d.dataset.examples).toHaveLength(120);
    expect(describeData(d, 's.csv')[0]).toBe('data: s.csv: using 120 of 300 rows (a random sample)');
    const limited = limitRows(table, config.rowLimit, config.seed);
    expect(limitRows(limited, config.rowLimit, config.seed)).toBe(limited);
    expect(prepareData(limited, roles, 's.csv', config).train).toEqual(d.train);
    const first = prepareData(table, roles, 's.csv', { ...config, rowLimit: { rows: 120, pick: 'first' } });
    expect(first.dataset.examples.map((e) => e.line)).toEqual(table.rows.slice(0, 120).map((r) => r.line));
  });

  it('refuses a limit that is not a whole number ≥ 1, or an unknown pick', () => {
    expect(() =>
      validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, rowLimit: { rows: 0, pick: 'first' } }),
    ).toThrow('Number of rows must be a whole number ≥ 1 (got 0).');
    expect(() =>
      validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, rowLimit: { rows: 5, pick: 'last' as 'first' } }),
    ).toThrow('Rows to use must be "first" or "random" (got "last")');
  });
});
