import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './testCli';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMaxLength } from './embed';

const root = new URL('../../', import.meta.url).pathname;
const models = join(root, 'test-fixtures/models');
const csv = join(root, 'test-fixtures/data/reviews-sample.csv');
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const maxAbs = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number))));

describe('cli embed', () => {
  const inputs = JSON.parse(readFileSync(join(models, 'inputs.json'), 'utf8'));
  it.each(['st-gelu', 'bin-gelu-new-legacy', 'st-f16-relu', 'bin-bf16-gelu'])(
    'writes HF-equal ids and vectors for %s',
    (name) => {
      const out = join(tmp, `${name}.jsonl`);
      const r = cli(
        'embed',
        '--model',
        join(models, name),
        '--data',
        csv,
        '--text-column',
        'review',
        '--text-pair-column',
        'user',
        '--max-length',
        '24',
        '--out',
        out,
      );
      expect(r.stderr).toMatch(/wrote 10 rows/);
      expect(r.code).toBe(0);
      const golden = JSON.parse(readFileSync(join(models, name, 'golden.json'), 'utf8'));
      const lines = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(10);
      lines.forEach((rec, i) => {
        expect(rec.input_ids).toEqual(inputs.pair[i].input_ids);
        expect(rec.token_type_ids).toEqual(inputs.pair[i].token_type_ids);
        expect(maxAbs(rec.cls, golden.pair.cls[i])).toBeLessThan(1e-4);
        expect(maxAbs(rec.pooled, golden.pair.pooled[i])).toBeLessThan(1e-4);
      });
    },
    60_000,
  );

  it("cuts at the model's own model_max_length unless told (an export keeps its run's), as HF's tokenizer does", () => {
    const data = join(tmp, 'long.csv');
    writeFileSync(data, `review\n"${'soft fabric and a lovely fit '.repeat(20)}"\nshort\n`);
    const out = join(tmp, 'long.jsonl');
    const exportDir = join(root, 'test-fixtures/export');
    const r = cli('embed', '--model', exportDir, '--data', data, '--text-column', 'review', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('max length: 24 tokens (--max-length chooses another)');
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].input_ids).toHaveLength(24);
    expect(lines[1].input_ids.length).toBeLessThan(24);
    expect(defaultMaxLength(undefined, 512)).toBe(128);
    expect(defaultMaxLength(1e30, 512)).toBe(128); // Hugging Face's "no limit" sentinel
    expect(defaultMaxLength(64, 32)).toBe(32);
  });

  it('single texts (no pair column) match too', () => {
    const out = join(tmp, 'single.jsonl');
    const r = cli(
      'embed',
      '--model',
      join(models, 'st-gelu'),
      '--data',
      csv,
      '--text-column',
      'review',
      '--max-length',
      '24',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const golden = JSON.parse(readFileSync(join(models, 'st-gelu', 'golden.json'), 'utf8'));
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    lines.forEach((rec, i) => {
      expect(rec.input_ids).toEqual(inputs.single[i].input_ids);
      expect(maxAbs(rec.pooled, golden.single.pooled[i])).toBeLessThan(1e-4);
    });
  });

  function brokenCopy(name: string, edit: (dir: string) => void): string {
    const dir = mkdtempSync(join(tmp, 'ckpt-'));
    cpSync(join(models, name), dir, { recursive: true });
    edit(dir);
    return dir;
  }
  const embedWith = (model: string, ...extra: string[]) =>
    cli(
      'embed',
      '--model',
      model,
      '--data',
      csv,
      '--text-column',
      'review',
      '--out',
      join(tmp, 'x.jsonl'),
      ...extra,
    );

  const errorCases: Array<[string, () => ReturnType<typeof cli>, RegExp]> = [
    [
      'a missing data file',
      () =>
        cli(
          'embed',
          '--model',
          join(models, 'st-gelu'),
          '--data',
          'nope.csv',
          '--text-column',
          'review',
          '--out',
          join(tmp, 'x.jsonl'),
        ),
      /nope.csv: no such file/,
    ],
    [
      'a missing column',
      () =>
        cli(
          'embed',
          '--model',
          join(models, 'st-gelu'),
          '--data',
          csv,
          '--text-column',
          'text',
          '--out',
          join(tmp, 'x.jsonl'),
        ),
      /has no column "text". Its columns are: "id", "title", "review", "rating", "user"/,
    ],
    [
      'a missing pair column',
      () => embedWith(join(models, 'st-gelu'), '--text-pair-column', 'context'),
      /has no column "context"/,
    ],
    [
      'a missing model folder',
      () => embedWith('./no-such-model'),
      /--model .\/no-such-model: no such folder/,
    ],
    ['a missing flag', () => cli('embed', '--model', join(models, 'st-gelu')), /--data is required/],
    ['an unknown flag', () => cli('embed', '--modle', 'x'), /Unknown option '--modle'/],
    ['an unknown command', () => cli('finetune'), /unknown command "finetune"/],
    [
      'a max length over the model limit',
      () => embedWith(join(models, 'st-gelu'), '--max-length', '64'),
      /--max-length 64 exceeds the model's max_position_embeddings \(32\)/,
    ],
    [
      'a truncated safetensors file',
      () =>
        embedWith(
          brokenCopy('st-gelu', (d) =>
            writeFileSync(
              join(d, 'model.safetensors'),
              readFileSync(join(d, 'model.safetensors')).subarray(0, 1000),
            ),
          ),
        ),
      /model.safetensors .* is not a valid safetensors file: the header claims/,
    ],
    [
      'a safetensors header that lies about a size',
      () =>
        embedWith(
          brokenCopy('st-gelu', (d) => {
            const b = readFileSync(join(d, 'model.safetensors'));
            const s = b
              .toString('latin1')
              .replace('"shape": [2, 16]', '"shape": [2, 17]')
              .replace('"shape":[2,16]', '"shape":[2,17]');
            writeFileSync(join(d, 'model.safetensors'), Buffer.from(s, 'latin1'));
          }),
        ),
      /token_type_embeddings.weight" has shape \[2, 17\] × F32 = 136 bytes, but its offsets span 128/,
    ],
    [
      'a pickle that asks for another global',
      () =>
        embedWith(
          brokenCopy('bin-gelu-new-legacy', (d) => {
            const b = readFileSync(join(d, 'pytorch_model.bin'));
            // Same length: collections.OrderedDict → posixpath.OrderedDict is still an unknown global.
            const i = b.indexOf('collections');
            b.write('posixpath  ', i, 'latin1');
            writeFileSync(join(d, 'pytorch_model.bin'), b);
          }),
        ),
      /damaged zip|the pickle asks for the global "posixpath {2}.OrderedDict"/,
    ],
    [
      'a config with an unknown activation',
      () =>
        embedWith(
          brokenCopy('st-gelu', (d) => {
            const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
            writeFileSync(join(d, 'config.json'), JSON.stringify({ ...c, hidden_act: 'silu' }));
          }),
        ),
      /config.json .*hidden_act "silu" is not supported. Supported: gelu, gelu_new, relu/,
    ],
  ];
  it.each(errorCases)(
    'ends with one clear message and exit 1 for %s',
    (_label, run, message) => {
      const r = run();
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^((backend|model|note): .*\n)*error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    },
    60_000,
  );
});
