import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from './config';
import type { RunRecord } from './record';
import { portableRecord } from './export';
import { trainHfScript } from './trainHf';
import { multiLabelSpec } from '../data/labels';
import type { ColumnRoles } from '../data/dataset';

// Each command train_hf.py documents is run with recording stand-ins for transformers, torch and numpy
// (test-fixtures/python-stubs): only Python 3 is needed. What the script hands transformers is asserted.
const STUBS = new URL('../../../test-fixtures/python-stubs', import.meta.url).pathname;
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function record(baseModel: string): RunRecord {
  return {
    baseModel,
    roles: { text: 'review', pair: null, label: 'rating' },
    trainConfig: { ...DEFAULT_TRAIN_CONFIG, learningRate: 3e-4, epochs: 2 },
    spec: { task: 'regression', scale: { min: 1, max: 5 }, threshold: 4, classes: [] },
    data: { file: 'reviews.csv', usableRows: 20, badRows: 0, train: 16, validation: 2, test: 2 },
    result: null,
    backend: 'wasm',
    createdAt: '2026-12-02T00:00:00Z',
  };
}

/** The export folder with its train_hf.py and a CSV; the documented commands, as the docstring writes them. */
function exportFolder(trained: RunRecord, csv?: string) {
  const run = portableRecord(trained); // as exportFiles hands it over
  const dir = mkdtempSync(join(tmpdir(), 'train-hf-'));
  dirs.push(dir);
  const settings = { base_model: run.baseModel, columns: run.roles, label: run.spec, ...run.trainConfig };
  const script = trainHfScript(run, settings);
  writeFileSync(join(dir, 'train_hf.py'), script);
  const rows = Array.from({ length: 20 }, (_, i) => `text number ${i},${1 + (i % 5)}`);
  writeFileSync(join(dir, 'reviews.csv'), csv ?? `review,rating\n${rows.join('\n')}\n`);
  const doc = script.slice(0, script.indexOf('"""', 3));
  const commands = [...doc.matchAll(/^ {2}((?:python|accelerate launch) train_hf\.py[^#\n]*)/gm)].map((m) =>
    m[1]!.trim(),
  );
  return { dir, commands };
}

/** Runs one documented command (`accelerate launch X` as `python X`) and returns the calls the stubs saw. */
function runCommand(dir: string, command: string, trainer: 'old' | 'new') {
  const args = command.replace(/^(python|accelerate launch) /, '').split(/\s+/);
  const log = join(dir, `calls-${trainer}.jsonl`);
  rmSync(log, { force: true });
  execFileSync(PYTHON, args, {
    cwd: dir,
    env: { ...process.env, PYTHONPATH: STUBS, STUB_LOG: log, STUB_TRAINER: trainer },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown> & { call: string });
}

type Call = Record<string, unknown> & { call: string };
const call = (calls: Call[], name: string) => calls.find((c) => c.call === name)!;

describe("train_hf.py's documented commands (stub transformers)", () => {
  it('multi-label: one output per label, problem_type multi_label_classification, from 0/1 columns or tags', () => {
    const tags = Array.from(
      { length: 20 },
      (_, i) => `text number ${i},${['dress', 'sizing', 'dress;sizing', ''][i % 4]}`,
    );
    const flags = Array.from({ length: 20 }, (_, i) => `text number ${i},${i % 2},${i % 3 === 0 ? 1 : 0}`);
    for (const [roles, csv] of [
      [
        { text: 'review', pair: null, label: 'tags', labelSeparator: ';' },
        `review,tags\n${tags.join('\n')}\n`,
      ],
      [
        { text: 'review', pair: null, label: 'dress', labelColumns: ['dress', 'sizing'] },
        `review,dress,sizing\n${flags.join('\n')}\n`,
      ],
    ] as Array<[ColumnRoles, string]>) {
      const run = { ...record('scratch'), roles, spec: multiLabelSpec(['dress', 'sizing']) };
      const { dir, commands } = exportFolder(run, csv);
      expect(
        call(runCommand(dir, commands[0]!, 'new'), 'AutoModelForSequenceClassification.from_pretrained'),
      ).toMatchObject({
        num_labels: 2,
        problem_type: 'multi_label_classification',
      });
    }
  });

  it('a run from scratch starts from the export itself by default, and never names "scratch"', () => {
    const { dir, commands } = exportFolder(record('scratch'));
    expect(commands).toEqual([
      'python train_hf.py --data reviews.csv',
      'accelerate launch train_hf.py --data reviews.csv',
    ]);
    for (const command of commands) {
      const calls = runCommand(dir, command, 'new');
      expect(call(calls, 'AutoTokenizer.from_pretrained').path).toBe(dir);
      expect(call(calls, 'AutoModelForSequenceClassification.from_pretrained')).toMatchObject({
        path: dir,
        num_labels: 1,
        problem_type: 'regression',
      });
      expect(call(calls, 'Trainer.save_model').out).toBe('hf-run');
    }
    expect(readFileSync(join(dir, 'train_hf.py'), 'utf8')).toMatch(/^ORIGINAL_MODEL = None$/m);
  });

  it('a fine-tuned checkpoint starts from the original, or from the export with --model .', () => {
    const { dir, commands } = exportFolder(record('huggingface.co/prajjwal1/bert-tiny (main)'));
    expect(commands).toEqual([
      'python train_hf.py --data reviews.csv',
      'python train_hf.py --data reviews.csv --model .',
      'accelerate launch train_hf.py --data reviews.csv',
    ]);
    const paths = commands.map(
      (c) => call(runCommand(dir, c, 'new'), 'AutoModelForSequenceClassification.from_pretrained').path,
    );
    expect(paths).toEqual(['prajjwal1/bert-tiny', '.', 'prajjwal1/bert-tiny']);
  });

  it('a local base is named by its folder alone: the command passes its path, and without one the script says so', () => {
    const { dir, commands } = exportFolder(record('folder /home/ana/models/bert-mini'));
    expect(commands).toEqual([
      'python train_hf.py --data reviews.csv --model path/to/bert-mini',
      'python train_hf.py --data reviews.csv --model .',
      'accelerate launch train_hf.py --data reviews.csv',
    ]);
    const script = readFileSync(join(dir, 'train_hf.py'), 'utf8');
    expect(script).not.toMatch(/home\/ana/);
    expect(script).toMatch(/^ORIGINAL_MODEL = "bert-mini"$/m);
    mkdirSync(join(dir, 'path/to/bert-mini'), { recursive: true });
    const first = runCommand(dir, commands[0]!, 'new');
    expect(call(first, 'AutoModelForSequenceClassification.from_pretrained').path).toBe('path/to/bert-mini');
    // Without --model the default is the base's name, which is not a folder here: a clear refusal, no Hub lookup.
    let stderr = '';
    try {
      runCommand(dir, 'python train_hf.py --data reviews.csv', 'new');
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(
      /the run started from a local folder called 'bert-mini', which is not here: pass --model with its path/,
    );
  });

  it("hands the run's settings to TrainingArguments, and the tokenizer as processing_class, or tokenizer before 4.46", () => {
    const { dir, commands } = exportFolder(record('scratch'));
    const now = runCommand(dir, commands[0]!, 'new');
    expect(call(now, 'TrainingArguments')).toMatchObject({
      learning_rate: 3e-4,
      num_train_epochs: 2,
      per_device_train_batch_size: 32,
      weight_decay: 0.01,
      seed: 42,
      group_by_length: true,
      metric_for_best_model: 'auc',
    });
    expect(call(now, 'Trainer')).toMatchObject({
      processing_class: true,
      other: [],
      train_rows: 18,
      eval_rows: 2,
    });
    expect(call(now, 'tokenize')).toMatchObject({ truncation: true, max_length: 128 });
    expect(call(runCommand(dir, commands[0]!, 'old'), 'Trainer')).toMatchObject({ tokenizer: true });
  });
});
