import { inProcess } from './testCli';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { pairMismatch } from '../core/train/run';
import { outputColumns } from './predict';

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
    expect(r.stderr).toMatch(
      /^error: Training setting learning rate must be between 0 and 1 \(got -0\.001\)\.$/m,
    );
    expect(r.stderr).not.toMatch(/ambiguous/);
    const eq = await run('baseline', '--data', data, ...cols, '--warmup', '-.5');
    expect(eq.stderr).toMatch(/warmup ratio must be in \[0, 1\) \(got -0\.5\)/);
  });
  it('--val-fraction 0 names the rule on the validation share, not on the rows left to train on', async () => {
    const r = await run('baseline', '--data', data, ...cols, '--val-fraction', '0');
    expect(r.stderr).toMatch(
      /validation fraction must be above 0 and below 1 \(got 0\): evaluation, the best-weights choice and early stopping need validation rows/,
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
    expect(sum.stderr).toMatch(/must add up to less than 1, to leave rows to train on \(got 0\.6 \+ 0\.5\)/);
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
      /LoRA setting r \(the rank\) is 100000, larger than the layers it adapts \(query, value: \d+ wide in this model\): choose r ≤ \d+/,
    );
    expect(r.stderr).not.toMatch(/TabTune bug/);
  });
});

describe('predict: the columns it adds', () => {
  it('never repeat a header: the first free prefix for all of them', () => {
    expect(outputColumns(['review'], [])).toEqual(['score']);
    expect(outputColumns(['score'], [1, 2])).toEqual([
      'tabtune_score',
      'tabtune_p_rating_1',
      'tabtune_p_rating_2',
    ]);
    expect(outputColumns(['score', 'tabtune_score'], [])).toEqual(['tabtune2_score']);
    expect(outputColumns(['p_rating_2', 'tabtune_p_rating_1', 'tabtune2_score'], [1, 2])).toEqual([
      'tabtune3_score',
      'tabtune3_p_rating_1',
      'tabtune3_p_rating_2',
    ]);
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
