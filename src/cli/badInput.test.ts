import { inProcess } from './testCli';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { pairMismatch } from '../core/train/fineTuned';
import { outputColumns, predictionCells } from './predict';
import { multiLabelSpec, type LabelSpec } from '../core/data/labels';
import { RUN_FLAG_LIST } from './runFlags';

// Bad input, round three (issue 22): each is refused up front with TabTune's own message, and nothing is written.
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-bad3-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) => inProcess(args);
const data = join(tmp, 'reviews.csv');
writeFileSync(data, sampleCsv(120, 5));
const original = readFileSync(data);

const cols = ['--text-column', 'review', '--label-column', 'rating'];
const quick = ['--epochs', '1', '--batch-size', '16', '--max-length', '16', '--no-classical'];

describe('cli: bad flags get the rule they break', () => {
  it('a negative number after a flag is its value, answered by the flag’s rule, not the parser', async () => {
    const r = await run(
      'train',
      '--model',
      'scratch',
      '--data',
      data,
      ...cols,
      '--lr',
      '-0.001',
      '--out',
      join(tmp, 'm'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --lr must be > 0 and < 1 \(got -0\.001\)\.$/m);
    expect(r.stderr).not.toMatch(/ambiguous/);
    const eq = await run('baseline', '--data', data, ...cols, '--warmup', '-.5');
    expect(eq.stderr).toMatch(/^error: --warmup must be ≥ 0 and < 1 \(got -0\.5\)/m);
  });
  it('--val-fraction 0 names the rule on the validation share, not on the rows left to train on', async () => {
    const r = await run('baseline', '--data', data, ...cols, '--val-fraction', '0');
    expect(r.stderr).toMatch(
      /^error: --val-fraction must be > 0 and < 1 \(got 0\): evaluation, the best-weights choice and early stopping need validation rows/,
    );
    const sum = await run(
      'baseline',
      '--data',
      data,
      ...cols,
      '--val-fraction',
      '0.6',
      '--test-fraction',
      '0.5',
    );
    expect(sum.stderr).toMatch(
      /^error: --val-fraction and --test-fraction must add up to less than 1, to leave rows to train on \(got 0\.6 \+ 0\.5\)/m,
    );
  });
});

describe('cli: every run flag’s refused value is named by its flag', () => {
  // One refused value per flag that sets a run setting; the closing check keeps the table complete.
  const refused: Record<string, [string[], RegExp]> = {
    task: [['--task', 'ranking'], /^error: --task must be one of regression, classification, binary/m],
    epochs: [['--epochs', '0'], /^error: --epochs must be a positive whole number, got "0"/m],
    'batch-size': [['--batch-size', '1.5'], /^error: --batch-size must be a positive whole number/m],
    lr: [['--lr', '-0.001'], /^error: --lr must be > 0 and < 1 \(got -0\.001\)\.$/m],
    'max-length': [['--max-length', '2'], /^error: --max-length must be a whole number ≥ 4 \(got 2\)\.$/m],
    seed: [['--seed', '-1'], /^error: --seed must be a whole number ≥ 0, got "-1"/m],
    'weight-decay': [['--weight-decay', '-1'], /^error: --weight-decay must be ≥ 0 and < 1 \(got -1\)\.$/m],
    warmup: [['--warmup', '1'], /^error: --warmup must be ≥ 0 and < 1 \(got 1\)\.$/m],
    'max-grad-norm': [
      ['--max-grad-norm', '-1'],
      /^error: --max-grad-norm must be ≥ 0, 0 turning clipping off \(got -1\)\.$/m,
    ],
    'grad-accum': [['--grad-accum', '0'], /^error: --grad-accum must be a positive whole number/m],
    dropout: [['--dropout', '-0.2'], /^error: --dropout must be ≥ 0 and < 1 \(got -0\.2\)\.$/m],
    patience: [['--patience', '-1'], /^error: --patience must be a whole number ≥ 0/m],
    'early-stop-on': [['--early-stop-on', 'f1'], /^error: --early-stop-on must be auc or loss/m],
    'evals-per-epoch': [
      ['--evals-per-epoch', '0'],
      /^error: --evals-per-epoch must be a positive whole number/m,
    ],
    threshold: [
      ['--task', 'binary', '--threshold', '-5'],
      /^error: --threshold -5 makes every rating positive\. Choose a threshold inside the scale \(1–5\)\.$/m,
    ],
    scale: [['--scale', '2-4'], /^error: --scale 2–4 does not hold rating [15] of the data/m],
    'val-fraction': [['--val-fraction', '1'], /^error: --val-fraction must be > 0 and < 1 \(got 1\)/m],
    'test-fraction': [
      ['--test-fraction', '-0.1'],
      /^error: --test-fraction must be ≥ 0 and < 1 \(got -0\.1\)/m,
    ],
    'freeze-layers': [['--freeze-layers', '-1'], /^error: --freeze-layers must be a whole number ≥ 0/m],
    lora: [['--lora', 'r=0'], /^error: --lora r must be a whole number ≥ 1 \(got 0\)\.$/m],
    'max-rows': [['--max-rows', '0'], /^error: --max-rows must be a positive whole number/m],
    'row-pick': [['--max-rows', '5', '--row-pick', 'last'], /^error: --row-pick must be random or first/m],
  };
  it.each(Object.entries(refused))('--%s', async (_flag, [flags, message]) => {
    const r = await run('baseline', '--data', data, ...cols, ...flags);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
  it('a LoRA part, and settings refused together, are named as they were given', async () => {
    const alpha = await run('baseline', '--data', data, ...cols, '--lora', 'alpha=0');
    expect(alpha.stderr).toMatch(/^error: --lora alpha must be > 0 \(got 0\)\.$/m);
    const both = await run('baseline', '--data', data, ...cols, '--lora', 'default', '--head-only');
    expect(both.stderr).toMatch(
      /^error: --lora and --head-only, --freeze-embeddings or --freeze-layers cannot be combined: LoRA already freezes every base weight/m,
    );
  });
  it('the table covers every flag that sets a run setting', () => {
    const setting = RUN_FLAG_LIST.filter((f) => f.setting !== undefined || f.set !== undefined).map(
      (f) => f.name,
    );
    expect(Object.keys(refused).sort()).toEqual(setting.sort());
  });
});

describe('cli: --out is never an input, and is of the kind the command writes', () => {
  it.each([
    ['predict', ['predict', '--model', tmp, '--data', data, '--text-column', 'review', '--out', data]],
    ['embed', ['embed', '--model', tmp, '--data', data, '--text-column', 'review', '--out', data]],
    ['baseline', ['baseline', '--data', data, ...cols, '--out', data]],
    ['lr-find', ['lr-find', '--model', 'scratch', '--data', data, ...cols, '--out', data]],
  ])('%s --out equal to --data is refused, and the data are untouched', async (_name, args) => {
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /--out .*reviews\.csv is --data .*reviews\.csv: writing there would overwrite what this command reads/,
    );
    expect(readFileSync(data)).toEqual(original);
  });
  it('train --out equal to the --model folder is refused (it would overwrite the base model)', async () => {
    const model = join(tmp, 'export');
    mkdirSync(model, { recursive: true });
    const r = await run('train', '--model', model, '--data', data, ...cols, '--out', `${model}/`);
    expect(r.stderr).toMatch(/--out .*export\/ is --model .*export: writing there would overwrite/);
  });
  it('a file output that is a folder, or in a folder that does not exist, is refused before the work', async () => {
    const folder = await run('baseline', '--data', data, ...cols, '--out', tmp);
    expect(folder.stderr).toMatch(
      /--out .* is a folder; this command writes a file\. Give a file path \(for example .*out\.json\)/,
    );
    const nowhere = await run(
      'baseline',
      '--data',
      data,
      ...cols,
      '--out',
      join(tmp, 'no', 'such', 'b.json'),
    );
    expect(nowhere.stderr).toMatch(/the folder .*no\/such does not exist/);
    const file = await run('train', '--model', 'scratch', '--data', data, ...cols, ...quick, '--out', data);
    expect(file.stderr).toMatch(/is --data/);
    const aFile = join(tmp, 'a-file');
    writeFileSync(aFile, 'x');
    const notFolder = await run(
      'train',
      '--model',
      'scratch',
      '--data',
      data,
      ...cols,
      ...quick,
      '--out',
      aFile,
    );
    expect(notFolder.stderr).toMatch(/--out .*a-file is a file; this command writes a folder/);
  });
});

describe('cli: roles that train on the answer', () => {
  it('refuses the rating column as the text column, or as the second text', async () => {
    const r = await run(
      'train',
      '--model',
      'scratch',
      '--data',
      data,
      '--text-column',
      'rating',
      '--label-column',
      'rating',
      ...quick,
      '--out',
      join(tmp, 'answer'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /The text column and the rating column are both "rating": the model would read the answer it must predict/,
    );
    expect(existsSync(join(tmp, 'answer', 'model.safetensors'))).toBe(false);
    const pair = await run('baseline', '--data', data, ...cols, '--text-pair-column', 'rating');
    expect(pair.stderr).toMatch(/The second text column and the rating column are both "rating"/);
  });
  it('refuses a LoRA rank larger than the layers, before any tensor is made', async () => {
    const r = await run(
      'train',
      '--model',
      'scratch',
      '--data',
      data,
      ...cols,
      ...quick,
      '--lora',
      'r=100000',
      '--out',
      join(tmp, 'lora'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /--lora r is 100000, larger than the layers it adapts \(query, value: \d+ wide in this model\): choose r ≤ \d+/,
    );
    expect(r.stderr).not.toMatch(/TabTune bug/);
  });
});

describe('predict: the columns it adds', () => {
  const regression: LabelSpec = { task: 'regression', scale: { min: 1, max: 5 }, threshold: 4, classes: [] };
  const classes: LabelSpec = { ...regression, task: 'classification', classes: [1, 2] };
  it('never repeat a header: the first free prefix for all of them', () => {
    expect(outputColumns(['review'], regression)).toEqual(['score']);
    expect(outputColumns(['score'], classes)).toEqual([
      'tabtune_score',
      'tabtune_p_rating_1',
      'tabtune_p_rating_2',
    ]);
    expect(outputColumns(['score', 'tabtune_score'], regression)).toEqual(['tabtune2_score']);
    expect(outputColumns(['p_rating_2', 'tabtune_p_rating_1', 'tabtune2_score'], classes)).toEqual([
      'tabtune3_score',
      'tabtune3_p_rating_1',
      'tabtune3_p_rating_2',
    ]);
  });

  it('multi-label: the labels over their thresholds, then a probability per label', () => {
    const spec = { ...multiLabelSpec(['dress', 'sizing']), labelThresholds: [0.7, 0.2] };
    expect(outputColumns(['review', 'labels'], spec)).toEqual([
      'tabtune_labels',
      'tabtune_p_dress',
      'tabtune_p_sizing',
    ]);
    const cells = (probabilities: number[]) =>
      predictionCells(spec, { score: 0, rankScore: 0, probabilities });
    expect(cells([0.69, 0.2])).toEqual(['sizing', '0.69', '0.2']);
    expect(cells([0.7, 0.1])).toEqual(['dress', '0.7', '0.1']);
    expect(cells([0.9, 0.5])).toEqual(['dress;sizing', '0.9', '0.5']);
    // A model without thresholds (none chosen yet) calls a label at 0.5.
    expect(
      predictionCells(multiLabelSpec(['a', 'b']), { score: 0, rankScore: 0, probabilities: [0.5, 0.49] }),
    ).toEqual(['a', '0.5', '0.49']);
  });
});

describe('predict: every input cell comes back as it was written', () => {
  it('a quoted cell keeps its CRLF (and a lone CR) while the rows end in the file’s own breaks', async () => {
    const model = new URL('../../test-fixtures/lora/tabtune-export', import.meta.url).pathname;
    const input = join(tmp, 'crlf.csv');
    writeFileSync(
      input,
      'review,customer,rating\r\n"soft\r\nfabric, fits well",anna,5\r\n"runs small\rsize up",ben,2\r\n',
    );
    const out = join(tmp, 'crlf.out.csv');
    const r = await run(
      'predict',
      '--model',
      model,
      '--data',
      input,
      '--text-column',
      'review',
      '--text-pair-column',
      'customer',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(written).toContain('"soft\r\nfabric, fits well",anna,5,');
    expect(written).toContain('"runs small\rsize up",ben,2,');
  });
});

describe('predict and eval: the second text as the model was trained', () => {
  it('warns when one is given to a model trained without, or left out for one trained with', () => {
    expect(pairMismatch({ text: 'review', pair: null }, null)).toBeNull();
    expect(pairMismatch({ text: 'review', pair: 'title' }, 'title')).toBeNull();
    expect(pairMismatch({ text: 'review', pair: null }, 'title')).toBe(
      'the model was trained on "review" alone, but a second text ("title") is given: its scores will drift. Leave the second text out (no --text-pair-column).',
    );
    expect(pairMismatch({ text: 'review', pair: 'title' }, null)).toMatch(
      /trained with a second text \("title" beside "review"\), but none is given/,
    );
  });
});
