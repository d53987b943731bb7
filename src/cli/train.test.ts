import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { cli } from './testCli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../core/checkpoint/safetensors';
import { sampleCsv } from '../core/data/sample';
import { rmse } from '../core/metrics/metrics';

const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-train-'));
const data = join(tmp, 'train.csv');
const val = join(tmp, 'val.csv');
const out = join(tmp, 'model');

const common = ['--text-column', 'review', '--text-pair-column', 'customer'];
const quick = ['--epochs', '1', '--batch-size', '16', '--max-length', '32', '--lr', '1e-3'];
/** `train` from scratch on the validation file, with more flags. */
const trainOnVal = (...flags: string[]) =>
  cli('train', '--model', 'scratch', '--data', val, ...common, '--label-column', 'rating', ...flags);

/** `lr-find` from scratch on the validation file, with more flags. */
const lrFindOnVal = (...flags: string[]) =>
  cli('lr-find', '--model', 'scratch', '--data', val, ...common, '--label-column', 'rating', ...flags);

let trainRun: ReturnType<typeof cli>;
beforeAll(() => {
  // Two bad rows among the good ones: they must be listed by line, not dropped silently.
  const lines = sampleCsv(240, 3).trimEnd().split('\n');
  lines.splice(5, 0, ',item,customer,4', '"no rating",dress,"x",');
  writeFileSync(data, `${lines.join('\n')}\n`);
  writeFileSync(val, sampleCsv(60, 4));
  trainRun = cli(
    'train',
    '--model',
    'scratch',
    '--data',
    data,
    '--val-data',
    val,
    ...common,
    '--label-column',
    'rating',
    ...quick,
    '--out',
    out,
  );
}, 240_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cli train → predict → eval', () => {
  it('trains, lists unusable rows by line, and writes a Hugging Face-style folder', () => {
    expect(trainRun.stderr).toMatch(/wrote the model to/);
    expect(trainRun.code).toBe(0);
    expect(trainRun.stderr).toMatch(/2 row\(s\) cannot be used: 1 empty text, 1 missing label/);
    expect(trainRun.stderr).toMatch(/line 6: empty text in "review"/);
    expect(trainRun.stderr).toMatch(/line 7: missing label in "rating"/);
    // With a validation file, the test share still comes out of the training file, and the split line says so.
    expect(trainRun.stderr).toMatch(
      /split \d+ train \/ 60 validation \/ (\d+) test \(validation from its own file; \1 rows of the training file are held out as test — test fraction 0, --test-fraction 0 in the CLI, trains on them too\)/,
    );
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      architectures: ['BertForSequenceClassification'],
      num_labels: 1,
      problem_type: 'regression',
    });
    expect(Object.keys(config.id2label)).toEqual(['0']);
    const names = [...readSafetensors(readFileSync(join(out, 'model.safetensors'))).keys()];
    expect(names).toContain('bert.embeddings.word_embeddings.weight');
    expect(names).toContain('classifier.weight');
    expect(names.every((n) => n.startsWith('bert.') || n.startsWith('classifier.'))).toBe(true);
    for (const f of [
      'vocab.txt',
      'tokenizer.json',
      'tokenizer_config.json',
      'training_config.json',
      'metrics.json',
      'README.md',
    ]) {
      expect(readFileSync(join(out, f)).length).toBeGreaterThan(10);
    }
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(
      /AutoModelForSequenceClassification.from_pretrained/,
    );
  });

  it('writes the classical baseline, then one JSON line per evaluation, the untrained model first', () => {
    const [classical, ...lines] = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(classical.classical_baseline).toMatchObject({ fitted: true, result: { validation: { n: 60 } } });
    expect(trainRun.stderr).toMatch(/Classical baseline \(TF-IDF .* \+ ridge .*\): validation AUC 0\.\d{3}/);
    expect(trainRun.stderr).toMatch(
      /The (fine-tuned model beats the classical baseline by [\d.]+ test AUC|classical baseline is [\d.]+ test AUC ahead|fine-tuned model and the classical baseline are not distinguishable on \d+ test rows).*95 % interval of the difference/,
    );
    expect(trainRun.stderr).toMatch(
      /eval final test @ step \d+: loss [\d.]+ {2}AUC 0\.\d{3} \(0\.\d{3}–[01]\.\d{3}\)/,
    );
    expect(lines[0]).toMatchObject({ step: 0, split: 'validation', phase: 'baseline', n: 60 });
    expect(lines[0].auc_95_interval).toEqual([expect.any(Number), expect.any(Number)]);
    for (const l of lines)
      expect(Object.keys(l)).toEqual(
        expect.arrayContaining(['step', 'epoch', 'split', 'loss', 'auc', 'rmse', 'mae']),
      );
    expect(lines.at(-1)).toMatchObject({ split: 'test', phase: 'final' });
  });

  it('baseline alone scores the same split as train, to the same numbers', () => {
    const r = cli('baseline', '--data', data, '--val-data', val, ...common, '--label-column', 'rating');
    expect(r.code, r.stderr).toBe(0);
    const alone = JSON.parse(r.stdout);
    const inTrain = JSON.parse(readFileSync(join(out, 'metrics.jsonl'), 'utf8').split('\n')[0]!)
      .classical_baseline.result;
    expect(alone.validation).toEqual(inTrain.validation);
    expect(alone.test).toEqual(inTrain.test);
    expect(alone.data).toMatchObject({ validation: 60, badRows: 2 });
  });

  it('baseline on texts with no word in two rows says so and exits 1', () => {
    const lonely = join(tmp, 'lonely.csv');
    const words = Array.from({ length: 60 }, (_, i) => `only${i}here`);
    writeFileSync(
      lonely,
      `review,rating\n${words.map((w, i) => `${w},${i % 2 === 0 ? 1 : 5}`).join('\n')}\n`,
    );
    const r = cli('baseline', '--data', lonely, '--text-column', 'review', '--label-column', 'rating');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No word or word pair occurs in 2 or more of the \d+ training texts/);
  });

  it('--no-classical trains without the baseline and records why', () => {
    const dir = join(tmp, 'no-classical');
    const r = trainOnVal(...quick, '--no-classical', '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    const first = JSON.parse(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n')[0]!);
    expect(first.classical_baseline).toEqual({ fitted: false, reason: 'turned off in the settings' });
    expect(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')).classical_baseline.fitted).toBe(false);
  });

  it('--group-column adds per-group ranking metrics; --group-split keeps each user in one split', () => {
    const grouped = join(tmp, 'grouped.csv');
    const lines = sampleCsv(160, 5).trimEnd().split('\n');
    writeFileSync(grouped, `${lines.map((l, i) => `${l},${i === 0 ? 'user' : `u${i % 16}`}`).join('\n')}\n`);
    const dir = join(tmp, 'grouped');
    const args = ['--data', grouped, ...common, '--label-column', 'rating', '--group-column', 'user'];
    const r = cli('train', '--model', 'scratch', ...args, '--group-split', ...quick, '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/NDCG@10 \d\.\d{4} {2}MAP \d\.\d{4} {2}group AUC \d\.\d{4} \(\d+ groups\)/);
    const evals = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l));
    for (const e of evals)
      expect(e).toMatchObject({ groups: expect.any(Number), ndcg_10: expect.any(Number) });
    const b = cli('baseline', ...args, '--group-split');
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).validation.ranking.groups).toBe(evals[0].groups);
  });

  it('lr-find sweeps the rate over the given batches and prints a suggestion with its reason', () => {
    const r = lrFindOnVal('--steps', '12');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.points.length).toBeGreaterThan(4);
    expect(out.points.length).toBeLessThanOrEqual(12);
    expect(out.points[0].lr).toBeCloseTo(1e-7, 12);
    expect(out.reason).toMatch(/falls longest from|never fell/);
    expect(r.stderr).toMatch(/lr 1\.00e-7 {2}loss \d/);
  });

  it('lr-find refuses a range that does not grow', () => {
    const r = lrFindOnVal('--min-lr', '1', '--max-lr', '0.1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--min-lr must be above 0 and below --max-lr \(got 1 and 0\.1\)/);
  });

  it('eval on the validation file reproduces the in-training final validation metrics', () => {
    const final = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((l) => l.phase === 'final' && l.split === 'validation');
    const r = cli('eval', '--model', out, '--data', val, ...common, '--label-column', 'rating');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.n).toBe(60);
    expect(m.auc).toBeCloseTo(final.auc, 6);
    expect(m.rmse).toBeCloseTo(final.rmse, 5);
    expect(m.loss).toBeCloseTo(final.loss, 5);
  }, 120_000);

  it('predict writes the input columns plus a score equal to the in-training evaluation', () => {
    const final = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).final.validation;
    const predictions = join(tmp, 'pred.csv');
    const r = cli('predict', '--model', out, '--data', val, ...common, '--out', predictions);
    expect(r.code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(predictions, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(rows.meta.fields).toEqual(['review', 'item', 'customer', 'rating', 'score']);
    expect(rows.data).toHaveLength(60);
    const truth = rows.data.map((d) => Number(d.rating));
    expect(
      rmse(
        truth,
        rows.data.map((d) => Number(d.score)),
      ),
    ).toBeCloseTo(final.rmse, 5);
    expect(r.stderr).not.toMatch(/second text/);
    // Without the second text the model was trained with: scored, with a warning that names the column.
    const alone = cli(
      'predict',
      '--model',
      out,
      '--data',
      val,
      '--text-column',
      'review',
      '--out',
      predictions,
    );
    expect(alone.code).toBe(0);
    expect(alone.stderr).toMatch(
      /warning: .*: the model was trained with a second text \("customer" beside "review"\), but none is given: its scores will drift\. Give that column \(--text-pair-column\)\./,
    );
  }, 120_000);
  it("without --lr and --epochs, the model's recipe sets them and says why", () => {
    const r = trainOnVal(
      '--batch-size',
      '16',
      '--max-length',
      '16',
      '--patience',
      '1',
      '--out',
      join(tmp, 'recipe'),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/From scratch: learning rate 1e-3 and 4 epochs/);
    expect(r.stderr).toMatch(/"learningRate":0\.001/);
    expect(r.stderr).toMatch(/"epochs":4/);
  }, 240_000);

  it('trains a TabTune export further on new ratings, keeping its head and scale; refuses another task or scale', () => {
    // New ratings that stop at 4: alone they would guess a 1–4 scale; the export's 1–5 is kept.
    const newer = join(tmp, 'newer.csv');
    writeFileSync(newer, sampleCsv(80, 9).replace(/,5\n/g, ',4\n'));
    const more = (...flags: string[]) =>
      cli(
        'train',
        '--model',
        out,
        '--data',
        newer,
        ...common,
        '--label-column',
        'rating',
        ...quick,
        ...flags,
      );
    const r = more('--out', join(tmp, 'continued'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /Continuing the fine-tuning of .* \(regression, ratings 1–5\): its head, scale and threshold are kept\./,
    );
    expect(r.stderr).toMatch(/task: regression, ratings 1–5/);
    const task = more('--task', 'classification', '--out', join(tmp, 'refused'));
    expect(task.code).toBe(1);
    expect(task.stderr).toMatch(
      /was fine-tuned by TabTune for regression on ratings 1–5; this run asks for classification\. Keep its task and scale/,
    );
    const scale = more('--scale', '1-10', '--out', join(tmp, 'refused'));
    expect(scale.code).toBe(1);
    expect(scale.stderr).toMatch(/this run's scale is 1–10\. Keep its task and scale/);
  }, 240_000);
});

describe('cli train errors end with one clear message', () => {
  it('a label column with no usable number', () => {
    const bad = join(tmp, 'nolabels.csv');
    writeFileSync(
      bad,
      'review,rating\n' + Array.from({ length: 20 }, (_, i) => `text ${i},n/a`).join('\n') + '\n',
    );
    const r = cli(
      'train',
      '--model',
      'scratch',
      '--data',
      bad,
      '--text-column',
      'review',
      '--label-column',
      'rating',
      '--out',
      join(tmp, 'x'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /has 0 usable row\(s\) \(of 20\); TabTune needs at least 8. First unusable: line 2, label "n\/a" in "rating" is not a number/,
    );
  });
  // train on the validation file with one flag changed → the message it must end with.
  const flagCases: Array<[string, string[], RegExp]> = [
    [
      'a label column that does not exist',
      ['--label-column', 'stars'],
      /has no column "stars". Its columns are: "review", "item", "customer", "rating"/,
    ],
    [
      'an unknown task',
      ['--task', 'ranking'],
      /--task must be one of regression, classification, binary, multi-label, got "ranking"/,
    ],
    [
      'a rating scale that is not min-max',
      ['--scale', '5-1'],
      /--scale must look like 1-5 \(min-max\), got "5-1"/,
    ],
    ['ratings outside the given scale', ['--scale', '1-4'], /--scale 1–4 does not hold rating 5 of the data/],
  ];
  it.each(flagCases)('%s', (_label, flags, message) => {
    const r = trainOnVal('--out', join(tmp, 'x'), ...flags);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(1);
  });
  it('predict with a model TabTune did not fine-tune', () => {
    const r = cli(
      'predict',
      '--model',
      join(root, 'test-fixtures/models/st-gelu'),
      '--data',
      val,
      ...common,
      '--out',
      join(tmp, 'p.csv'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a model fine-tuned by TabTune \(config.json has no "tabtune" block\)/);
  });
});

describe('cli predict and eval answer bad data with a result and a warning, never silently', () => {
  it("predict keeps the user's own score column, skips rows without readable text, and names both", () => {
    const input = join(tmp, 'has-score.csv');
    writeFileSync(
      input,
      'review,item,customer,rating,score\nlovely fit,dress,"a, 30",5,user value\n\u200b\u200b,dress,b,4,kept\n,dress,c,3,also kept\n',
    );
    const pred = join(tmp, 'has-score.out.csv');
    const r = cli('predict', '--model', out, '--data', input, ...common, '--out', pred);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/already has a column named "score"; the predictions are in "tabtune_score"/);
    expect(r.stderr).toMatch(/2 row\(s\) have no readable text in "review" and get no score \(lines 3, 4\)/);
    const rows = Papa.parse<Record<string, string>>(readFileSync(pred, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(rows.meta.fields).toEqual(['review', 'item', 'customer', 'rating', 'score', 'tabtune_score']);
    expect(rows.data.map((d) => d.score)).toEqual(['user value', 'kept', 'also kept']);
    expect(rows.data.slice(1).map((d) => d.tabtune_score)).toEqual(['', '']);
    // The prediction under the other name is the one the row gets where "score" is free.
    const plain = join(tmp, 'no-score.csv');
    writeFileSync(plain, 'review,item,customer,rating\nlovely fit,dress,"a, 30",5\n');
    const plainOut = join(tmp, 'no-score.out.csv');
    expect(cli('predict', '--model', out, '--data', plain, ...common, '--out', plainOut).code).toBe(0);
    const want = Papa.parse<Record<string, string>>(readFileSync(plainOut, 'utf8'), { header: true }).data[0]!
      .score;
    expect(Number(want)).toBeGreaterThanOrEqual(1);
    expect(rows.data[0]!.tabtune_score).toBe(want);
  }, 120_000);

  it('eval lists ratings outside the model scale by line and scores the rest', () => {
    const input = join(tmp, 'outside.csv');
    const lines = sampleCsv(30, 9).trimEnd().split('\n');
    lines.push('nice dress,dress,x,7', 'poor dress,dress,y,0');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const r = cli('eval', '--model', out, '--data', input, ...common, '--label-column', 'rating');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/line 32: rating 7 is outside the model's scale 1–5/);
    expect(r.stderr).toMatch(/line 33: rating 0 is outside the model's scale 1–5/);
    const m = JSON.parse(r.stdout);
    expect(m.n).toBe(30);
    expect(m.unusable_rows).toBe(2);
    expect(Number.isFinite(m.loss)).toBe(true);
  }, 120_000);
});
