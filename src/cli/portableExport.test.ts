import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../core/checkpoint/load';
import { BertTokenizer } from '../core/tokenizer/bertTokenizer';
import { readAdapter } from '../core/train/adapter';
import { folderSource } from './folderSource';
import { parseVocab } from '../core/tokenizer/vocab';
import { cli } from './testCli';

/*
 * An export moves to another machine: every kind of run (from a folder shaped as the Hub has it, from a folder with
 * tokenizer.json alone, from scratch, LoRA on a local base, LoRA from scratch) writes a vocab.txt that Hugging
 * Face's slow BertTokenizer reads to the ids tokenizer.json gives, names its base so it can be found elsewhere, and
 * holds no path of the machine that trained it.
 */

const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tabtune-portable-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 90 real clothing reviews (test-fixtures/baseline/reviews.csv, CC0): the texts the tokenizers are compared on. */
const reviews = (
  Papa.parse<Record<string, string>>(readFileSync(join(root, 'test-fixtures/baseline/reviews.csv'), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data as Array<Record<string, string>>
)
  .filter((r) => (r['Review Text'] ?? '').trim() !== '')
  .slice(0, 90);
const data = join(tmp, 'data', 'reviews.csv');

/** A folder as the Hub has a BERT: vocab.txt, no tokenizer.json; its config saved by transformers from a path here. */
const hubShaped = join(tmp, 'models', 'bert-hub-shaped');
/** A base with tokenizer.json and no vocab.txt (an export of an older TabTune, or a Hub repo without vocab.txt). */
const jsonOnly = join(tmp, 'models', 'bert-json-only');

const exports = {
  'from a folder shaped as the Hub has it': join(tmp, 'out', 'hub-shaped'),
  'from a folder with tokenizer.json alone': join(tmp, 'out', 'json-only'),
  'from scratch': join(tmp, 'out', 'scratch'),
  'LoRA on a local base': join(tmp, 'out', 'lora-local'),
  'LoRA from scratch': join(tmp, 'out', 'lora-scratch'),
};
const logs = new Map<string, string>();

const train = (name: keyof typeof exports, model: string, ...flags: string[]) => {
  const r = cli(
    'train',
    '--model',
    model,
    '--data',
    data,
    '--text-column',
    'Review Text',
    '--label-column',
    'Rating',
    ...['--epochs', '1', '--batch-size', '16', '--max-length', '32', '--no-classical'],
    ...flags,
    '--out',
    exports[name],
  );
  logs.set(name, r.stderr);
  if (r.code !== 0) throw new Error(`train ${name} failed:\n${r.stderr}`);
};

beforeAll(() => {
  cpSync(join(root, 'test-fixtures/models/st-gelu'), hubShaped, { recursive: true });
  rmSync(join(hubShaped, 'golden.json'));
  const config = JSON.parse(readFileSync(join(hubShaped, 'config.json'), 'utf8'));
  writeFileSync(join(hubShaped, 'config.json'), JSON.stringify({ ...config, _name_or_path: hubShaped }));
  cpSync(join(root, 'test-fixtures/baseline/reviews.csv'), data);
  train('from a folder shaped as the Hub has it', hubShaped);
  cpSync(exports['from a folder shaped as the Hub has it'], jsonOnly, { recursive: true });
  rmSync(join(jsonOnly, 'vocab.txt'));
  train('from a folder with tokenizer.json alone', jsonOnly);
  train('from scratch', 'scratch');
  train('LoRA on a local base', jsonOnly, '--lora', 'r=2');
  train('LoRA from scratch', 'scratch', '--lora', 'r=2');
}, 600_000);

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? files(join(dir, f)).map((g) => join(f, g)) : [f],
  );
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe.each(Object.entries(exports))('an export %s', (_name, dir) => {
  it('has a vocab.txt that Hugging Face’s slow BertTokenizer reads to the ids tokenizer.json gives', () => {
    const tokenizerJson = readJson(join(dir, 'tokenizer.json'));
    const config = readJson(join(dir, 'tokenizer_config.json'));
    expect(config.tokenizer_class).toBe('BertTokenizer');
    // As transformers' load_vocab reads it: one token per line, the id its line number.
    const lines = parseVocab(readFileSync(join(dir, 'vocab.txt'), 'utf8'));
    const vocab = tokenizerJson.model.vocab as Record<string, number>;
    expect(lines.length).toBe(Object.keys(vocab).length);
    for (const [token, id] of Object.entries(vocab)) expect(lines[id], token).toBe(token);
    const fromVocab = BertTokenizer.fromVocab(lines.join('\n'), config);
    const fromJson = BertTokenizer.fromTokenizerJson(tokenizerJson, config);
    for (const r of reviews)
      expect(fromVocab.encode(r['Review Text'] as string, null, 32)).toEqual(
        fromJson.encode(r['Review Text'] as string, null, 32),
      );
  });

  it('holds no path of the machine that trained it', () => {
    const here = [tmp, root.replace(/\/$/, ''), process.cwd(), ...(homedir().length > 1 ? [homedir()] : [])];
    for (const f of files(dir)) {
      const text = readFileSync(join(dir, f)).toString('latin1');
      for (const path of here) expect(text.includes(path), `${f} names ${path}`).toBe(false);
    }
  });
});

describe('the base an export names', () => {
  it('a local base by its folder’s name, in config.json, training_config.json, the card, the data’s name', () => {
    const dir = exports['from a folder shaped as the Hub has it'];
    expect(readJson(join(dir, 'config.json'))._name_or_path).toBe('bert-hub-shaped');
    expect(readJson(join(dir, 'training_config.json')).base_model).toBe('folder bert-hub-shaped');
    expect(readJson(join(dir, 'metrics.json')).data.file).toBe('reviews.csv');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(
      /Fine-tuned from `folder bert-hub-shaped`[\s\S]*`reviews.csv`: \d+ usable rows/,
    );
  });

  it('a LoRA adapter on a local base: PEFT is told its folder’s name, and the card and train_hf.py where to put it', async () => {
    const dir = exports['LoRA on a local base'];
    expect(readJson(join(dir, 'adapter', 'adapter_config.json'))).toMatchObject({
      base_model_name_or_path: 'bert-json-only',
      revision: null,
    });
    const card = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(card).toMatch(/## The LoRA adapter \(PEFT\)/);
    expect(card).toMatch(/a local folder called `bert-json-only` on the machine that trained/);
    expect(card).toMatch(
      /from_pretrained\("path\/to\/bert-json-only", num_labels=1\)\nmodel = PeftModel.from_pretrained\(base, "path\/to\/this\/folder\/adapter"\)/,
    );
    const script = readFileSync(join(dir, 'train_hf.py'), 'utf8');
    expect(script).toMatch(/^ORIGINAL_MODEL = "bert-json-only"\nORIGINAL_IS_LOCAL = True$/m);
    expect(script).toMatch(
      /--model path\/to\/bert-json-only +# from the original checkpoint \(a local folder\)/,
    );
    // Moved: the base copied to another machine under its name, the adapter applies to it (TabTune's own check).
    const moved = join(tmp, 'elsewhere', 'bert-json-only');
    cpSync(jsonOnly, moved, { recursive: true });
    const base = await loadCheckpoint(folderSource(moved));
    const adapterDir = join(dir, 'adapter');
    const adapter = new Map(
      readdirSync(adapterDir).map((f) => [f, new Uint8Array(readFileSync(join(adapterDir, f)))]),
    );
    expect(readAdapter(adapter, base).baseModel).toBe('bert-json-only');
  });

  it('LoRA from scratch writes no adapter (its random base exists nowhere else) and says why: log, card', () => {
    const dir = exports['LoRA from scratch'];
    expect(existsSync(join(dir, 'adapter'))).toBe(false);
    expect(existsSync(join(dir, 'model.safetensors'))).toBe(true);
    const why =
      /Trained with LoRA from scratch, so the export has no adapter\/ for PEFT: the random start it adapts exists only in this run/;
    expect(logs.get('LoRA from scratch')).toMatch(why);
    const card = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(card).toMatch(why);
    expect(card).not.toMatch(/the adapter is in adapter\//);
    expect(readFileSync(join(dir, 'train_hf.py'), 'utf8')).toMatch(/^ORIGINAL_MODEL = None$/m);
    // The other runs say nothing of it.
    expect(logs.get('LoRA on a local base')).not.toMatch(why);
  });
});
