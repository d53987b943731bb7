import { describe, expect, it } from 'vitest';
import { parseCsv } from '../data/csv';
import { sampleCsv } from '../data/sample';
import { TabTuneError } from '../errors';
import { DEFAULT_TRAIN_CONFIG } from '../train/config';
import { prepareData } from '../train/prepare';
import {
  applyChanges,
  changesFromAuditFile,
  checkChanges,
  describeApplied,
  mergeChanges,
  type LabelChanges,
} from './changes';

const audit = (rows: string[], header = 'review,line,given,predicted,suggested,suspicion,words') =>
  parseCsv([header, ...rows].join('\n'), 'flagged.csv');

describe('changesFromAuditFile', () => {
  const table = audit([
    'a,2,1,4.6,5,0.99,x',
    'b,3,5,1.2,1,0.95,y',
    'c,4,4,3.9,4,0.10,z',
    'd,5,2,4.1,,0.97,w',
  ]);

  it('takes the rows at or above the cut (every row without one) to exclude, or to relabel to "suggested"', () => {
    expect(changesFromAuditFile(table, '/home/me/flagged.csv', 'exclude', 0.95)).toEqual({
      source: 'flagged.csv, suspicion ≥ 0.95',
      exclude: [
        { line: 2, given: 1 },
        { line: 3, given: 5 },
        { line: 5, given: 2 },
      ],
      relabel: [],
    });
    const relabel = changesFromAuditFile(table, 'flagged.csv', 'relabel', null);
    expect(relabel.source).toBe('flagged.csv, every row');
    // An empty "suggested" (a person cleared it) is not relabelled.
    expect(relabel.relabel).toEqual([
      { line: 2, given: 1, rating: 5 },
      { line: 3, given: 5, rating: 1 },
      { line: 4, given: 4, rating: 4 },
    ]);
  });

  it('reads the audit columns under their "tabtune_" names when the input had columns of theirs', () => {
    const t = audit(
      ['a,99,7,2,1,4.6,5,0.99,x'],
      'review,line,suspicion,tabtune_line,tabtune_given,tabtune_predicted,tabtune_suggested,tabtune_suspicion,tabtune_words',
    );
    expect(changesFromAuditFile(t, 'f.csv', 'exclude', 0.5).exclude).toEqual([{ line: 2, given: 1 }]);
  });

  it('refuses a CSV that is not an audit, and a value that is not a number, naming the file, line and column', () => {
    expect(() =>
      changesFromAuditFile(parseCsv('review,rating\na,1', 'r.csv'), 'r.csv', 'exclude', null),
    ).toThrow(/r\.csv has no "line" column: it is not a label audit's output/);
    expect(() => changesFromAuditFile(audit(['a,2,1,4,5,high,x']), 'flagged.csv', 'exclude', 0.9)).toThrow(
      /flagged\.csv line 2: "suspicion" is "high", not a number/,
    );
  });
});

describe('checkChanges', () => {
  const ratings = new Map([
    [2, 1],
    [3, 5],
    [4, 4],
  ]);
  const scale = { min: 1, max: 5 };
  const base: LabelChanges = { source: 'flagged.csv, every row', exclude: [], relabel: [] };

  it('passes changes that fit the file', () => {
    expect(() =>
      checkChanges(
        { ...base, exclude: [{ line: 2, given: 1 }], relabel: [{ line: 3, given: 5, rating: 1 }] },
        ratings,
        'r.csv',
        scale,
      ),
    ).not.toThrow();
  });

  it('refuses a line the file lacks, a rating that is not the audited one, one out of scale, and two relabels', () => {
    const cases: [Partial<LabelChanges>, RegExp][] = [
      [
        { exclude: [{ line: 9, given: 1 }] },
        /1 line\(s\) are not usable rows of r\.csv \(9\)\. Was the audit made from another file/,
      ],
      [
        { exclude: [{ line: 2, given: 3 }] },
        /line 2: 1, audited as 3\)\. Was the audit made from another file, or has r\.csv changed/,
      ],
      [
        { relabel: [{ line: 2, given: 1, rating: 7 }] },
        /line 2 would get rating 7, outside r\.csv's scale 1–5/,
      ],
      [
        {
          relabel: [
            { line: 2, given: 1, rating: 5 },
            { line: 2, given: 1, rating: 4 },
          ],
        },
        /line 2 is relabelled twice, to 5 and to 4/,
      ],
    ];
    for (const [c, message] of cases) {
      expect(() => checkChanges({ ...base, ...c }, ratings, 'r.csv', scale)).toThrow(TabTuneError);
      expect(() => checkChanges({ ...base, ...c }, ratings, 'r.csv', scale)).toThrow(message);
    }
  });
});

describe('applyChanges', () => {
  const ex = (line: number, rating: number) => ({ line, text: `t${line}`, pair: null, rating });
  it('changes training and validation rows and keeps test rows as they are, counting them', () => {
    const out = applyChanges(
      { train: [ex(2, 1), ex(3, 5)], validation: [ex(4, 4)], test: [ex(5, 2)] },
      {
        source: 's',
        exclude: [
          { line: 2, given: 1 },
          { line: 5, given: 2 },
        ],
        relabel: [{ line: 4, given: 4, rating: 2 }],
      },
    );
    expect(out.train.map((e) => e.line)).toEqual([3]);
    expect(out.validation).toEqual([ex(4, 2)]);
    expect(out.test).toEqual([ex(5, 2)]);
    expect(out.applied).toEqual({ source: 's', excluded: 1, relabelled: 1, untouchedInTest: 1 });
    expect(describeApplied(out.applied)).toBe(
      'label changes from s: left out 1 row(s), relabelled 1; 1 of the changed rows are test rows, kept as they are so that runs compare on the same rows',
    );
  });

  it('merges an exclusion and a relabelling', () => {
    const a: LabelChanges = { source: 'a', exclude: [{ line: 2, given: 1 }], relabel: [] };
    const b: LabelChanges = { source: 'b', exclude: [], relabel: [{ line: 3, given: 5, rating: 1 }] };
    expect(mergeChanges(a, null)).toBe(a);
    expect(mergeChanges(a, b)).toEqual({ source: 'a; b', exclude: a.exclude, relabel: b.relabel });
  });
});

describe('prepareData with label changes', () => {
  const table = parseCsv(sampleCsv(300, 4), 'reviews.csv');
  const roles = { text: 'review', pair: null, label: 'rating' };
  const plain = prepareData(table, roles, 'reviews.csv', DEFAULT_TRAIN_CONFIG);
  const pick = [...plain.train.slice(0, 5), ...plain.validation.slice(0, 2), ...plain.test.slice(0, 3)];
  const changes: LabelChanges = {
    source: 'flagged.csv, every row',
    exclude: pick.map((e) => ({ line: e.line, given: e.rating })),
    relabel: [],
  };

  it('leaves the changed rows out of training and validation, keeps test as it was, and records it', () => {
    const d = prepareData(table, roles, 'reviews.csv', { ...DEFAULT_TRAIN_CONFIG, labelChanges: changes });
    expect(d.train).toHaveLength(plain.train.length - 5);
    expect(d.validation).toHaveLength(plain.validation.length - 2);
    expect(d.test).toEqual(plain.test);
    expect(d.labelChanges).toEqual({
      source: 'flagged.csv, every row',
      excluded: 7,
      relabelled: 0,
      untouchedInTest: 3,
    });
  });

  it('leaves a separate validation file as it is (its lines are another file’s)', () => {
    const validation = { table: parseCsv(sampleCsv(40, 9), 'val.csv'), file: 'val.csv' };
    const before = prepareData(table, roles, 'reviews.csv', DEFAULT_TRAIN_CONFIG, validation);
    const lines = before.validation.slice(0, 3).map((e) => e.line);
    const own = before.train
      .filter((e) => lines.includes(e.line))
      .map((e) => ({ line: e.line, given: e.rating }));
    expect(own.length).toBeGreaterThan(0);
    const d = prepareData(
      table,
      roles,
      'reviews.csv',
      { ...DEFAULT_TRAIN_CONFIG, labelChanges: { ...changes, exclude: own } },
      validation,
    );
    expect(d.validation).toEqual(before.validation);
    expect(d.train).toHaveLength(before.train.length - own.length);
  });

  it('refuses changes that would leave no training row', () => {
    const all = plain.dataset.examples.map((e) => ({ line: e.line, given: e.rating }));
    expect(() =>
      prepareData(table, roles, 'reviews.csv', {
        ...DEFAULT_TRAIN_CONFIG,
        labelChanges: { ...changes, exclude: all },
      }),
    ).toThrow(/leave no training row of reviews\.csv/);
  });
});
