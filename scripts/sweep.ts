// npm run sweep — choose a default over seeds, not from one run: runs TabTune's trainer (Node's WASM backend)
// with each value of one setting, over several seeds, from scratch and from a pretrained start (the stand-in in
// scripts/pretrainedStandIn.ts), on the first rows of a real CSV, and prints, per start and value, the mean ±
// sd over seeds of the best trained validation AUC, of the validation AUC of the weights kept, and of the run
// time. Every other setting is the default (DEFAULT_TRAIN_CONFIG) with the model's recipe (train/recipe.ts).
//   npm run sweep -- --csv ../shared/fixtures/womens-clothing-reviews.csv --vary groupByLength=true,false
//                    [--rows 2000] [--seeds 1,2,3] [--epochs 3] [--max-length 96] [--bases scratch,pretrained]
//                    [--cache .fidelity]
// --vary takes a TrainConfig field and JSON values (evalsPerEpoch=1,2,4; earlyStopping.patience=0,3).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readCsvBytes } from '../src/core/data/csv';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../src/core/train/config';
import { recipeFor } from '../src/core/train/recipe';
import { runTraining } from '../src/core/train/run';
import type { EvalPoint } from '../src/core/train/evaluate';
import { pretrainedStandIn } from './pretrainedStandIn';
import { registerKernels } from '../src/core/runtime/registerKernels';

const { values: v } = parseArgs({
  options: {
    csv: { type: 'string' },
    vary: { type: 'string' },
    rows: { type: 'string', default: '2000' },
    seeds: { type: 'string', default: '1,2,3' },
    epochs: { type: 'string' },
    'max-length': { type: 'string', default: '96' },
    'pretrain-steps': { type: 'string', default: '3000' },
    vocab: { type: 'string', default: '../shared/fixtures/wordpiece-vocab-uncased.txt' },
    cache: { type: 'string', default: '.fidelity' },
    bases: { type: 'string', default: 'scratch,pretrained' },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
if (!v.csv || !v.vary?.includes('=')) {
  log('usage: npm run sweep -- --csv FILE --vary FIELD=V1,V2 (see the top of scripts/sweep.ts)');
  process.exit(2);
}
const [field, list] = v.vary.split('=') as [string, string];
const values = list.split(',').map((x) => JSON.parse(x) as unknown);
tf.env().set('PROD', true);
registerKernels(); // TabTune's own kernels, as chooseBackend registers them
await tf.setBackend('wasm');
const roles = { text: 'Review Text', pair: 'Title', label: 'Rating' };
const full = readCsvBytes(readFileSync(v.csv), v.csv);
const rows = Number(v.rows);
const table = { ...full, rows: full.rows.slice(0, rows) };
const maxLength = Number(v['max-length']);
mkdirSync(v.cache!, { recursive: true });

interface Outcome {
  base: string;
  value: unknown;
  seed: number;
  bestTrained: number;
  kept: number;
  seconds: number;
  steps: number;
}
const outcomes: Outcome[] = [];
for (const base of v.bases!.split(',') as Array<'scratch' | 'pretrained'>) {
  const checkpoint =
    base === 'pretrained'
      ? await pretrainedStandIn({
          full,
          rows,
          roles,
          csv: v.csv,
          vocab: v.vocab!,
          cache: v.cache!,
          maxLength,
          steps: v['pretrain-steps']!,
        })
      : null;
  const recipe = recipeFor(
    checkpoint ? { kind: 'checkpoint', hiddenSize: checkpoint.config.hidden_size } : { kind: 'scratch' },
  );
  for (const value of values) {
    for (const seed of v.seeds!.split(',').map(Number)) {
      const config = withField(
        {
          ...DEFAULT_TRAIN_CONFIG,
          learningRate: recipe.learningRate,
          epochs: v.epochs ? Number(v.epochs) : recipe.epochs,
          maxLength,
          seed,
          classicalBaseline: false,
        },
        field,
        value,
      );
      const evals: EvalPoint[] = [];
      const t0 = performance.now();
      const run = await runTraining({
        data: { table, file: v.csv },
        validation: null,
        roles,
        config,
        base: checkpoint ? { kind: 'checkpoint', checkpoint } : { kind: 'scratch' },
        backend: 'wasm',
        events: { evaluation: (e) => e.split === 'validation' && evals.push(e) },
      });
      run.model.dispose();
      const trained = evals.filter((e) => e.step > 0 && e.phase !== 'final').map((e) => e.auc ?? NaN);
      const outcome: Outcome = {
        base,
        value,
        seed,
        bestTrained: Math.max(...trained),
        kept: evals.find((e) => e.phase === 'final')?.auc ?? NaN,
        seconds: (performance.now() - t0) / 1000,
        steps: Math.max(...evals.map((e) => e.step)),
      };
      outcomes.push(outcome);
      log(JSON.stringify(outcome));
    }
  }
}
process.stdout.write(
  `${JSON.stringify({ csv: v.csv, rows, maxLength, field, outcomes }, null, 2)}\n${markdown(outcomes)}`,
);

/** `config` with `path` (dotted: earlyStopping.patience) set to `value`. */
function withField(config: TrainConfig, path: string, value: unknown): TrainConfig {
  const [head, sub] = path.split('.') as [keyof TrainConfig, string | undefined];
  if (!(head in config)) throw new Error(`--vary: TrainConfig has no field ${head}`);
  if (sub === undefined) return { ...config, [head]: value };
  return { ...config, [head]: { ...(config[head] as object), [sub]: value } };
}

function meanSd(xs: number[]): string {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

function markdown(all: Outcome[]): string {
  const lines = [
    `| start | ${field} | seeds | best trained val AUC | val AUC of weights kept | run time (s) |`,
    '|---|---|---|---|---|---|',
  ];
  for (const base of new Set(all.map((o) => o.base))) {
    for (const value of values) {
      const mine = all.filter((o) => o.base === base && o.value === value);
      const pick = (f: (o: Outcome) => number) => meanSd(mine.map(f));
      lines.push(
        `| ${base} | ${JSON.stringify(value)} | ${mine.length} | ${pick((o) => o.bestTrained)} | ${pick((o) => o.kept)} | ${pick((o) => o.seconds)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
