import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { DEFAULT_TRAIN_CONFIG } from '../train/config';
import { prepareData } from '../train/prepare';
import { buildDataset, hasVisibleText, summarizeBadRows } from './dataset';
import {
  defaultThreshold,
  makeLabelSpec,
  numLabels,
  predictionOf,
  scaleOutliers,
  targetOf,
  unscorableReason,
} from './labels';
import { seededRandom, splitSizes, stratifiedSplit, stratifiedSplitKeepingCopies } from './split';

describe('buildDataset lists every unusable row with its line and reason', () => {
  const csv = [
    'review,rating,user',
    'great,5,a',
    ',4,b', // empty text
    '"   ",4,b', // whitespace-only text
    'no label,,c', // missing label
    'bad label,five,d', // not a number
    'too few fields', // wrong field count
    '"multi',
    'line",3,e',
    'extra,1,f,g', // wrong field count
    'fine,2,',
  ].join('\n');
  const ds = buildDataset(parseCsv(csv, 'r.csv'), { text: 'review', pair: 'user', label: 'rating' }, 'r.csv');
  it('keeps the good rows with their lines', () => {
    expect(ds.examples.map((e) => [e.line, e.text, e.pair, e.rating])).toEqual([
      [2, 'great', 'a', 5],
      [8, 'multi\nline', 'e', 3],
      [11, 'fine', '', 2],
    ]);
  });
  it('reports the rest', () => {
    expect(ds.badRows).toEqual([
      { line: 3, reason: 'empty text in "review"' },
      { line: 4, reason: 'empty text in "review"' },
      { line: 5, reason: 'missing label in "rating"' },
      { line: 6, reason: 'label "five" in "rating" is not a number' },
      { line: 7, reason: 'has 1 field(s) but the header has 3' },
      { line: 10, reason: 'has 4 field(s) but the header has 3' },
    ]);
    expect(summarizeBadRows(ds.badRows)).toBe(
      '6 row(s) cannot be used: 2 empty text, 1 missing label, 1 label not a number, 2 malformed row',
    );
  });
});

describe('labels', () => {
  const ratings = [1, 2, 3, 4, 5, 5, 4];
  it('defaults the threshold to 4 on 1–5 and 8 on 1–10', () => {
    expect(defaultThreshold({ min: 1, max: 5 })).toBe(4);
    expect(defaultThreshold({ min: 1, max: 10 })).toBe(8);
  });
  it('regression scales to [0, 1] and back', () => {
    const s = makeLabelSpec('regression', ratings);
    expect([targetOf(s, 1), targetOf(s, 4), targetOf(s, 5)]).toEqual([0, 0.75, 1]);
    expect(predictionOf(s, [0.75]).score).toBe(4);
    expect(numLabels(s)).toBe(1);
  });
  it('classification maps ratings to classes and scores P(rating ≥ threshold)', () => {
    const s = makeLabelSpec('classification', ratings);
    expect(s.classes).toEqual([1, 2, 3, 4, 5]);
    expect(targetOf(s, 3)).toBe(2);
    const p = predictionOf(s, [0, 0, 0, Math.log(2), Math.log(2)]);
    expect(p.score).toBe(4);
    expect(p.rankScore).toBeCloseTo(4 / 7, 12);
    expect(p.probabilities!.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });
  it('binary uses the threshold and a sigmoid', () => {
    const s = makeLabelSpec('binary', ratings, { threshold: 4 });
    expect([targetOf(s, 3), targetOf(s, 4)]).toEqual([0, 1]);
    expect(predictionOf(s, [0]).score).toBe(0.5);
  });
  it('refuses labels it cannot learn from, saying why', () => {
    expect(() => makeLabelSpec('regression', [3, 3, 3])).toThrow(/Every rating is 3/);
    expect(() => makeLabelSpec('classification', [1, 2.5, 5])).toThrow(/whole-number ratings, but 2.5/);
    expect(() => makeLabelSpec('binary', [1, 2, 3], { scale: { min: 1, max: 5 } })).toThrow(
      'Every rating is below the default threshold 4, which makes every rating negative: the binary task needs both.',
    );
    // A threshold or scale the user set is refused naming that setting.
    expect(() => makeLabelSpec('binary', [1, 2, 3], { threshold: -5 })).toThrow(
      'Positive threshold -5 makes every rating positive. Choose a threshold inside the scale (1–3).',
    );
    expect(() => makeLabelSpec('regression', [1, 7], { scale: { min: 1, max: 5 } })).toThrow(
      'Rating scale 1–5 does not hold rating 7 of the data. Widen the scale, or leave it to the data.',
    );
  });
});

describe('splitSizes', () => {
  it('says a split as every report does: train, validation, test', () => {
    expect(splitSizes({ train: 1598, validation: 201, test: 0 })).toBe(
      '1598 train / 201 validation / 0 test',
    );
  });
});

describe('stratifiedSplit', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : (i % 4) + 2)); // 10% are 1s
  it('is 80/10/10, covers every index once, and keeps rare ratings in every split', () => {
    const s = stratifiedSplit(labels, { validation: 0.1, test: 0.1 }, 42);
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([800, 100, 100]);
    expect(new Set([...s.train, ...s.validation, ...s.test]).size).toBe(1000);
    for (const part of [s.train, s.validation, s.test]) {
      const ones = part.filter((i) => labels[i] === 1).length;
      expect(ones / part.length).toBeCloseTo(0.1, 2);
    }
  });
  it('is the same for the same seed and differs for another', () => {
    const a = stratifiedSplit(labels, { validation: 0.1, test: 0.1 }, 1);
    expect(stratifiedSplit(labels, { validation: 0.1, test: 0.1 }, 1)).toEqual(a);
    expect(stratifiedSplit(labels, { validation: 0.1, test: 0.1 }, 2).test).not.toEqual(a.test);
  });
  it('bins continuous labels into deciles', () => {
    const cont = Array.from({ length: 500 }, (_, i) => i / 7);
    const s = stratifiedSplit(cont, { validation: 0.2, test: 0 }, 3);
    expect(s.validation.length).toBe(100);
  });
  it('seededRandom is deterministic and in [0, 1)', () => {
    const r = seededRandom(5);
    const xs = Array.from({ length: 1000 }, r);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(5)()).toBe(xs[0]);
  });
});

describe('bad data answered, not slipped through', () => {
  it('text of only spaces, zero-width and format characters is unusable, like an empty one', () => {
    expect(hasVisibleText('\u200b\u200c\u200d\ufeff\u2060 \u00ad\t')).toBe(false);
    expect(hasVisibleText('\u200bok')).toBe(true);
    expect(hasVisibleText('🙂')).toBe(true);
    const t = parseCsv('review,rating\n\u200b\u200b,4\nfine,5\n', 'z.csv');
    const ds = buildDataset(t, { text: 'review', pair: null, label: 'rating' }, 'z.csv');
    expect(ds.badRows).toEqual([{ line: 2, reason: 'empty text in "review"' }]);
  });
  it('the default positive threshold splits continuous and 0/1 ratings, and stays 4 on 1–5', () => {
    expect(defaultThreshold({ min: 1, max: 5 })).toBe(4);
    expect(defaultThreshold({ min: 0, max: 10 })).toBe(8);
    expect(defaultThreshold({ min: 0, max: 1 })).toBe(0.75);
    expect(defaultThreshold({ min: 0.1, max: 0.9 })).toBeCloseTo(0.7, 12);
    const spec = makeLabelSpec('regression', [0.1, 0.2, 0.5, 0.8, 0.9]);
    expect(spec.threshold).toBeCloseTo(0.7, 12); // ceil would give 1: above every rating, AUC undefined
  });
  it('rare ratings far from the rest are named as stretching the scale', () => {
    const stars = Array.from({ length: 200 }, (_, i) => 1 + (i % 5));
    expect(scaleOutliers(stars)).toEqual([]);
    expect(scaleOutliers([...stars, 1000])).toEqual([1000]);
    expect(scaleOutliers([...stars, -1, 1e3])).toEqual([-1, 1000]);
    expect(scaleOutliers([1, 2, 2, 3, 4, 5, 5, 4])).toEqual([]); // a rare but adjacent 1 is fine
    const continuous = Array.from({ length: 100 }, (_, i) => i / 99);
    expect(scaleOutliers(continuous)).toEqual([]);
    expect(scaleOutliers([...continuous, 40])).toEqual([40]);
  });
  it('prepareData warns with the lines of the outliers and how to set the scale', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `text ${i},${1 + (i % 5)}`);
    rows.push('typo row,1000');
    const t = parseCsv(`review,rating\n${rows.join('\n')}\n`, 'o.csv');
    const d = prepareData(t, { text: 'review', pair: null, label: 'rating' }, 'o.csv', DEFAULT_TRAIN_CONFIG);
    expect(d.warnings[0]).toBe(
      '1 rating(s) lie far outside the others (1–5) and stretch the guessed scale to 1–1000 (line 62: 1000). If they are typos, fix those rows; otherwise set the rating scale explicitly (--scale in the CLI).',
    );
    const given = prepareData(t, { text: 'review', pair: null, label: 'rating' }, 'o.csv', {
      ...DEFAULT_TRAIN_CONFIG,
      scale: { min: 1, max: 1000 },
    });
    expect(given.warnings.filter((w) => w.includes('outside the others'))).toEqual([]);
  });
  it('warns when the second text is the text, or the texts are only numbers; refuses the group as text', () => {
    const rows = Array.from(
      { length: 1000 },
      (_, i) => `${i % 20 === 0 ? 'good dress' : String(100 + i)},${1 + (i % 5)},u${i % 9}`,
    );
    const t = parseCsv(`review,rating,user\n${rows.join('\n')}\n`, 'n.csv');
    const d = prepareData(
      t,
      { text: 'review', pair: 'review', label: 'rating' },
      'n.csv',
      DEFAULT_TRAIN_CONFIG,
    );
    expect(d.warnings).toEqual([
      'The second text column is the text column ("review"): every row reads its text twice. Choose another column as the second text, or none.',
      '950 of the 1000 texts in "review" are only numbers: is it the text column you meant? A language model learns little from numbers; choose the column with the words.',
    ]);
    expect(() =>
      prepareData(
        t,
        { text: 'user', pair: null, label: 'rating', group: 'user' },
        'n.csv',
        DEFAULT_TRAIN_CONFIG,
      ),
    ).toThrow('The text column and the group column are both "user": the model would learn ids, not text.');
  });
  it('refuses an empty training split (one group kept in one split) instead of training on nothing', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `text ${i},${1 + (i % 5)},only-user`);
    const t = parseCsv(`review,rating,user\n${rows.join('\n')}\n`, 'g.csv');
    expect(() =>
      prepareData(t, { text: 'review', pair: null, label: 'rating', group: 'user' }, 'g.csv', {
        ...DEFAULT_TRAIN_CONFIG,
        groupSplit: true,
      }),
    ).toThrow(
      /^The training split of g\.csv is empty: its 120 usable rows form too few groups to keep each group in one split/,
    );
  });
  it('refuses a validation file on another scale, naming both, instead of changing the task', () => {
    const make = (n: number, rating: (i: number) => number, name: string) =>
      parseCsv(
        `review,rating\n${Array.from({ length: n }, (_, i) => `text ${i},${rating(i)}`).join('\n')}\n`,
        name,
      );
    const roles = { text: 'review', pair: null, label: 'rating' };
    const train = make(300, (i) => 1 + (i % 5), 'train.csv');
    const tenPoint = { table: make(100, (i) => i % 11, 'val.csv'), file: 'val.csv' };
    expect(() => prepareData(train, roles, 'train.csv', DEFAULT_TRAIN_CONFIG, tenPoint)).toThrow(
      "val.csv has 55 rating(s) outside train.csv's scale 1–5 (line 2: 0; line 8: 6; line 9: 7; line 10: 8; line 11: 9; …); its own ratings run 0–10. Give a validation file on the training data's scale",
    );
    const same = { table: make(100, (i) => 1 + (i % 5), 'val.csv'), file: 'val.csv' };
    const d = prepareData(train, roles, 'train.csv', DEFAULT_TRAIN_CONFIG, same);
    expect([d.spec.scale, d.spec.threshold]).toEqual([{ min: 1, max: 5 }, 4]);
  });
  it('warns of repeated rows (a bad join) and of a validation file made of training rows', () => {
    const roles = { text: 'review', pair: null, label: 'rating' };
    const base = Array.from({ length: 200 }, (_, i) => `text number ${i},${1 + (i % 5)}`);
    const joined = parseCsv(`review,rating\n${base.flatMap((r) => [r, r, r]).join('\n')}\n`, 'j.csv');
    expect(prepareData(joined, roles, 'j.csv', DEFAULT_TRAIN_CONFIG).warnings[0]).toEqual(
      "400 of the 600 usable rows of j.csv repeat another row's text (200 texts appear more than once): the copies of a text are kept in one split (so validation and test do not score memory), but training weighs a repeated text as many times as it appears. Remove the duplicates (did a join repeat rows?).",
    );
    const split = prepareData(joined, roles, 'j.csv', DEFAULT_TRAIN_CONFIG);
    const texts = (rows: readonly { text: string }[]) => new Set(rows.map((e) => e.text));
    const [train, val, test] = [texts(split.train), texts(split.validation), texts(split.test)];
    expect([...val, ...test].filter((x) => train.has(x))).toEqual([]); // every copy in one split
    expect(split.train.length + split.validation.length + split.test.length).toBe(600);
    expect(split.validation.length % 3).toBe(0);
    const t = parseCsv(`review,rating\n${base.join('\n')}\n`, 't.csv');
    expect(prepareData(t, roles, 't.csv', DEFAULT_TRAIN_CONFIG).warnings).toEqual([
      expect.stringMatching(/^The validation split has/), // 200 rows: a small split, and nothing repeated
    ]);
    const same = prepareData(t, roles, 't.csv', DEFAULT_TRAIN_CONFIG, { table: t, file: 't.csv' }).warnings;
    expect(same).toContain(
      '200 of the 200 rows of t.csv are also in t.csv (same text): validation then measures memory, not how the model does on new rows. Give a validation file of other rows.',
    );
  });
  it('names ratings written with a thousands separator or a decimal comma, and the scale guessed without them', () => {
    const rows = Array.from(
      { length: 400 },
      (_, i) => `text ${i},${i % 4 === 0 ? `"1,${200 + i}"` : String(211 + ((i * 37) % 789))}`,
    );
    rows[1] = 'text one,"4,5"';
    const t = parseCsv(`review,votes\n${rows.join('\n')}\n`, 'v.csv');
    const d = prepareData(t, { text: 'review', pair: null, label: 'votes' }, 'v.csv', DEFAULT_TRAIN_CONFIG);
    expect(d.warnings).toContain(
      '101 rating(s) in "votes" of v.csv are written with a thousands separator or a decimal comma (line 2: "1,200"; line 3: "4,5"; line 6: "1,204"; line 10: "1,208"; line 14: "1,212"; …) and cannot be read as numbers, so those rows are unusable and the scale (224–993) was guessed from the others. Write them without separators (1243) or with a decimal point (4.5), and load the file again.',
    );
    expect(d.dataset.badRows).toHaveLength(101);
  });
  it('stratifiedSplitKeepingCopies is stratifiedSplit when nothing repeats, and keeps copies together when they do', () => {
    const labels = Array.from({ length: 300 }, (_, i) => 1 + (i % 5));
    const unique = labels.map((_, i) => `t${i}`);
    expect(stratifiedSplitKeepingCopies(labels, unique, { validation: 0.1, test: 0.1 }, 3)).toEqual(
      stratifiedSplit(labels, { validation: 0.1, test: 0.1 }, 3),
    );
    const keys = labels.map((_, i) => `t${i % 50}`); // 50 texts, 6 copies each
    const s = stratifiedSplitKeepingCopies(labels, keys, { validation: 0.1, test: 0.1 }, 3);
    const where = new Map<string, string>();
    for (const part of ['train', 'validation', 'test'] as const)
      for (const i of s[part])
        expect(where.get(keys[i]!) ?? where.set(keys[i]!, part).get(keys[i]!)).toBe(part);
    expect([...s.train, ...s.validation, ...s.test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
  });
  it('warns before training when the validation split is too small for a stable AUC, naming its counts', () => {
    const make = (n: number) => {
      const rows = Array.from({ length: n }, (_, i) => `text ${i},${1 + (i % 5)}`);
      return parseCsv(`review,rating\n${rows.join('\n')}\n`, 'v.csv');
    };
    const roles = { text: 'review', pair: null, label: 'rating' };
    const small = prepareData(make(300), roles, 'v.csv', DEFAULT_TRAIN_CONFIG);
    expect(small.warnings).toEqual([
      'The validation split has 12 positive and 18 negative rows (positive = rating ≥ 4): under 30 of a class, its AUC moves by chance (see its 95 % interval), and so do the best-weights choice and early stopping. Raise the validation share (--val-fraction in the CLI, "Validation share" in the studio), add rows, or give a separate validation file (--val-data).',
    ]);
    expect(prepareData(make(1000), roles, 'v.csv', DEFAULT_TRAIN_CONFIG).warnings).toEqual([]);
  });
  it('an empty validation split names the settings that exist', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `text ${i},${1 + (i % 5)}`);
    const t = parseCsv(`review,rating\n${rows.join('\n')}\n`, 's.csv');
    expect(() =>
      prepareData(t, { text: 'review', pair: null, label: 'rating' }, 's.csv', {
        ...DEFAULT_TRAIN_CONFIG,
        validationFraction: 0.01,
      }),
    ).toThrow(/Raise the validation share \(--val-fraction in the CLI, "Validation share" in the studio\)/);
  });
  it('ratings a model cannot be scored on are named', () => {
    const cls = makeLabelSpec('classification', [1, 2, 3, 4, 5]);
    expect(unscorableReason(cls, 7)).toBe("rating 7 is not one of the model's classes (1, 2, 3, 4, 5)");
    expect(unscorableReason(cls, 2.5)).toBe("rating 2.5 is not one of the model's classes (1, 2, 3, 4, 5)");
    expect(unscorableReason(makeLabelSpec('regression', [1, 5]), 6)).toBe(
      "rating 6 is outside the model's scale 1–5",
    );
    expect(unscorableReason(cls, 3)).toBeNull();
  });
});
