import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCsv } from '../core/data/sample';
import { inProcess } from './testCli';
import { labelIndex } from './explain';
import { multiLabelSpec } from '../core/data/labels';
import { readAdapter } from '../core/train/adapter';
import { loadCheckpoint } from '../core/checkpoint/load';
import { sourceFor } from './common';

/*
 * The multi-label task from the command line: several targets at once, from a tag column or 0/1 columns, with
 * metrics per label, an export by Hugging Face's rule (problem_type, id2label) and predict's p_<label>.
 */
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-multi-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The sample rows with tags (the item, and "liked" for a rating ≥ 4) and the same labels as 0/1 columns. */
function tagged(n: number, seed: number, extraTag = ''): string {
  const rows = Papa.parse<Record<string, string>>(sampleCsv(n, seed), {
    header: true,
    skipEmptyLines: true,
  }).data;
  return Papa.unparse(
    rows.map((r, i) => {
      const liked = Number(r.rating) >= 4;
      return {
        ...r,
        tags: [r.item, liked ? 'liked' : '', i === 0 ? extraTag : ''].filter(Boolean).join(';'),
        liked: liked ? '1' : '0',
        dress: r.item === 'dress' ? 'yes' : 'no',
      };
    }),
  );
}

const data = join(tmp, 'reviews.csv');
const out = join(tmp, 'model');
const common = ['--text-column', 'review', '--epochs', '2', '--max-length', '32', '--lr', '1e-3'];
let log = '';

beforeAll(async () => {
  writeFileSync(data, tagged(300, 21));
  const r = await inProcess([
    'train',
    '--model',
    'scratch',
    '--data',
    data,
    ...common,
    '--task',
    'multi-label',
    '--label-column',
    'tags',
    '--label-separator',
    ';',
    '--out',
    out,
  ]);
  log = r.stderr;
  if (r.code !== 0) throw new Error(r.stderr);
}, 240_000);

const json = (f: string) => JSON.parse(readFileSync(join(out, f), 'utf8'));

describe('train --task multi-label', () => {
  it('learns the training rows’ tags and reports each label’s AUC with its interval, AP, F1 and threshold', () => {
    const { final, classical_baseline: classical } = json('metrics.json');
    const labels = Object.keys(final.test.per_label);
    const items = new Set(
      Papa.parse<Record<string, string>>(readFileSync(data, 'utf8'), { header: true }).data.map(
        (r) => r.item,
      ),
    );
    expect(labels).toContain('liked');
    expect(labels.filter((l) => l !== 'liked').every((l) => items.has(l))).toBe(true);
    for (const split of [final.validation, final.test]) {
      for (const m of Object.values(split.per_label) as Array<Record<string, unknown>>) {
        expect(m).toMatchObject({ auc: expect.any(Number), ap: expect.any(Number), f1: expect.any(Number) });
        const [low, high] = m.auc_95_interval as [number, number];
        expect(low).toBeLessThanOrEqual(m.auc as number);
        expect(high).toBeGreaterThanOrEqual(m.auc as number);
      }
      expect(split.macro_auc).toBe(split.auc);
      expect(split.micro_auc).toEqual(expect.any(Number));
    }
    // Test's F1 is taken at validation's thresholds.
    for (const l of labels)
      expect(final.test.per_label[l].threshold).toBe(final.validation.per_label[l].threshold);
    // The classical baseline, one logistic model per label, scored per label too.
    expect(Object.keys(classical.result.test.per_label).sort()).toEqual([...labels].sort());
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l));
    expect(lines.every((l) => l.per_label && typeof l.macro_auc === 'number')).toBe(true);
    expect(log).toMatch(/task: multi-label, \d labels \(/);
    expect(log).toMatch(/eval final test @ step \d+: loss [\d.]+ {2}macro AUC [\d.]+ \(.*liked [\d.]+/);
    expect(log).toMatch(/Per label \(fine-tuned against baseline, 95 % interval of the difference\): /);
  });

  it('exports by Hugging Face’s rule: problem_type multi_label_classification, id2label naming the labels', () => {
    const config = json('config.json');
    const names = config.tabtune.labels as string[];
    expect(config.problem_type).toBe('multi_label_classification');
    expect(config.num_labels).toBe(names.length);
    expect(config.id2label).toEqual(Object.fromEntries(names.map((n, i) => [String(i), n])));
    expect(config.label2id).toEqual(Object.fromEntries(names.map((n, i) => [n, i])));
    expect(config.tabtune.label_thresholds).toHaveLength(names.length);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    expect(card).toContain('multi-label: one sigmoid per label');
    expect(card).toMatch(
      /\| label \| AUC \(95 % interval\) \| average precision \| F1 \| threshold \| classical AUC \|/,
    );
    expect(card).toContain('probs = torch.sigmoid(logits)');
  });

  it('predict writes the labels over their thresholds and p_<label> per label', async () => {
    const scored = join(tmp, 'scored.csv');
    const r = await inProcess([
      'predict',
      '--model',
      out,
      '--data',
      data,
      '--text-column',
      'review',
      '--out',
      scored,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const config = json('config.json');
    const names = config.tabtune.labels as string[];
    const thresholds = config.tabtune.label_thresholds as number[];
    const rows = Papa.parse<Record<string, string>>(readFileSync(scored, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(300);
    for (const row of rows.slice(0, 50)) {
      const on = names.filter((n, k) => Number(row[`p_${n}`]) >= thresholds[k]!);
      expect(row.labels).toBe(on.join(';'));
    }
  });

  it('explain --label attributes one label’s probability; an unknown label is refused with the model’s labels', async () => {
    const small = join(tmp, 'few.csv');
    writeFileSync(small, tagged(3, 23));
    const explained = join(tmp, 'why.jsonl');
    const r = await inProcess([
      'explain',
      '--model',
      out,
      '--data',
      small,
      '--text-column',
      'review',
      '--label',
      'liked',
      '--steps',
      '8',
      '--out',
      explained,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('of the P(liked)');
    const lines = readFileSync(explained, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      expect(l.explained_label).toBe('liked');
      const sum = (l.attributions as number[]).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (l.score - l.baseline_score))).toBeLessThan(0.05); // completeness, 8 steps
    }
    const wrong = await inProcess([
      'explain',
      '--model',
      out,
      '--data',
      small,
      '--text-column',
      'review',
      '--label',
      'sizing',
      '--out',
      explained,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/has no label "sizing"; its labels are .*"liked"/);
    expect(() => labelIndex(multiLabelSpec(['a']), null, 'm')).not.toThrow();
    expect(() =>
      labelIndex({ task: 'regression', scale: { min: 1, max: 5 }, threshold: 4, classes: [] }, 'a', 'm'),
    ).toThrow(/--label picks one label of a multi-label model; m predicts a rating \(regression\)/);
  }, 120_000);

  it('lists a validation tag that no training row has, and learns from 0/1 columns (true/false, yes/no) too', async () => {
    const val = join(tmp, 'val.csv');
    writeFileSync(val, tagged(60, 22, 'sizing'));
    const r = await inProcess([
      'baseline',
      '--data',
      data,
      '--val-data',
      val,
      '--text-column',
      'review',
      '--task',
      'multi-label',
      '--label-column',
      'tags',
      '--label-separator',
      ';',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /1 tag\(s\) of the validation rows appear in no training row and are not learned: "sizing" \(1 row\)/,
    );
    const columns = await inProcess([
      'baseline',
      '--data',
      data,
      '--text-column',
      'review',
      '--task',
      'multi-label',
      '--label-columns',
      'liked,dress',
    ]);
    expect(columns.code, columns.stderr).toBe(0);
    expect(columns.stderr).toMatch(/logistic regression \(C = 1, one per label\)/);
  });
});

describe('multi-label with LoRA on a local base', () => {
  it('writes a PEFT adapter whose label block names the labels, and the card loads its base as multi-label', async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const base = join(tmp, 'st-gelu');
    cpSync(join(root, 'test-fixtures/models/st-gelu'), base, { recursive: true });
    const lora = join(tmp, 'lora');
    const r = await inProcess([
      'train',
      '--model',
      base,
      '--data',
      data,
      ...common,
      '--epochs',
      '1',
      '--task',
      'multi-label',
      '--label-columns',
      'liked,dress',
      '--lora',
      'r=2',
      '--no-classical',
      '--out',
      lora,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const adapterDir = join(lora, 'adapter');
    const files = new Map(
      readdirSync(adapterDir).map((f) => [f, new Uint8Array(readFileSync(join(adapterDir, f)))]),
    );
    const adapter = readAdapter(files, await loadCheckpoint(sourceFor(base, 'main')));
    expect(adapter.tabtune).toMatchObject({ task: 'multi-label', labels: ['liked', 'dress'] });
    expect(readFileSync(join(lora, 'README.md'), 'utf8')).toMatch(
      /num_labels=2, problem_type="multi_label_classification"\)\nmodel = PeftModel.from_pretrained/,
    );
  }, 240_000);
});

describe('multi-label: bad input gets a clear message', () => {
  const run = (...args: string[]) =>
    inProcess(['baseline', '--data', data, '--text-column', 'review', '--task', 'multi-label', ...args]);

  it('a label column that is not 0/1: every row named unusable, with the value and the column', async () => {
    const r = await run('--label-columns', 'liked,rating');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /"rating" in .*reviews.csv is not a 0\/1 column: \d+ of its 300 values are not 0 or 1 \(line \d+: "[2-5]"\)/,
    );
    expect(r.stderr).not.toMatch(/TabTune bug|at .*\.ts:\d+/);
  });

  it('a tag column with one tag, a label no training row has, a label chosen as text, and flags that do not fit', async () => {
    writeFileSync(
      join(tmp, 'one.csv'),
      Papa.unparse(
        [...Array(30)].map((_, i) => ({
          review: `text ${i}`,
          tags: i % 2 ? 'dress' : '',
          never: '0',
          liked: String(i % 2),
        })),
      ),
    );
    const one = await inProcess([
      'baseline',
      '--data',
      join(tmp, 'one.csv'),
      '--text-column',
      'review',
      '--task',
      'multi-label',
      '--label-column',
      'tags',
      '--label-separator',
      ';',
    ]);
    expect(one.stderr).toMatch(/holds one tag only \("dress"\).*the multi-label task needs at least two/);
    const never = await inProcess([
      'baseline',
      '--data',
      join(tmp, 'one.csv'),
      '--text-column',
      'review',
      '--task',
      'multi-label',
      '--label-columns',
      'liked,never',
    ]);
    expect(never.stderr).toMatch(/No training row of .*one.csv has "never" set to 1/);
    expect((await run('--label-columns', 'liked,review')).stderr).toMatch(
      /"review" is chosen both as text and as a label/,
    );
    expect((await run('--label-column', 'tags')).stderr).toMatch(/The multi-label task needs its labels/);
    expect((await run('--label-columns', 'liked')).stderr).toMatch(/at least two label columns/);
    expect((await run('--label-columns', 'liked,dress', '--slice-column', 'item')).stderr).toMatch(
      /no slices yet/,
    );
    const wrongTask = await inProcess([
      'baseline',
      '--data',
      data,
      '--text-column',
      'review',
      '--label-columns',
      'liked,dress',
    ]);
    expect(wrongTask.stderr).toMatch(/are for the multi-label task, not regression/);
    const search = await inProcess([
      'search',
      '--model',
      'scratch',
      '--data',
      data,
      '--text-column',
      'review',
      '--task',
      'multi-label',
      '--label-columns',
      'liked,dress',
      '--out',
      join(tmp, 's'),
    ]);
    expect(search.stderr).toMatch(/does not take the multi-label task yet/);
    const both = await run('--label-column', 'tags', '--label-columns', 'liked,dress');
    expect(both.stderr).toMatch(/not both/);
  });
});
