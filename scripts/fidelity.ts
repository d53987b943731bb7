// npm run fidelity — training fidelity against PyTorch: the same fine-tuning runs, from the same initial weights,
// on the same rows, token ids, splits, batching, schedule and evaluation points, in TabTune (Node's WASM backend,
// `runTraining`) and in PyTorch (scripts/reference/job_torch.py: transformers' recipe written out — the
// BertForSequenceClassification head, AdamW with weight decay except on biases and LayerNorm, linear warmup then
// decay, clipping at 1.0, dropout 0.1). Two starting points: a BERT-tiny-shaped model at random init ("scratch",
// vocabulary learned from the training texts) and the same shape first pretrained with masked-language modelling
// on the other reviews (scripts/reference/mlm_pretrain.py, the 30k WordPiece vocabulary; a stand-in for a
// downloaded checkpoint). Several seeds each (the seed sets the split, the head's init and dropout). Prints JSON
// and a Markdown table of validation AUC and loss per epoch; only the random draws (dropout, the batch order's
// shuffle) differ between the two. With --same-draws there are none: dropout is off on both sides and PyTorch
// trains on TabTune's own batches, so whatever still differs is arithmetic.
//   npm run fidelity -- --csv ../shared/fixtures/womens-clothing-reviews.csv [--rows 2000] [--seeds 1,2,3]
//                       [--epochs 3] [--max-length 64] [--pretrain-steps 3000] [--cache .fidelity] [--same-draws]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadedCheckpoint } from '../src/core/checkpoint/load';
import { canonicalName } from '../src/core/checkpoint/names';
import type { HostTensor } from '../src/core/checkpoint/rawTensor';
import { writeSafetensors } from '../src/core/checkpoint/safetensors';
import { readCsvBytes } from '../src/core/data/csv';
import { SequenceClassifier } from '../src/core/model/classifier';
import { scratchCheckpoint } from '../src/core/model/scratch';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../src/core/train/config';
import { prepareData } from '../src/core/train/prepare';
import { runTraining, scratchTexts } from '../src/core/train/run';
import type { EvalPoint } from '../src/core/train/evaluate';
import { torchJob } from './torchJob';
import { pretrainedStandIn } from './pretrainedStandIn';
import { registerKernels } from '../src/core/runtime/registerKernels';

const { values: v } = parseArgs({
  options: {
    csv: { type: 'string' },
    rows: { type: 'string', default: '2000' },
    seeds: { type: 'string', default: '1,2,3' },
    epochs: { type: 'string', default: '3' },
    'max-length': { type: 'string', default: '64' },
    'pretrain-steps': { type: 'string', default: '3000' },
    vocab: { type: 'string', default: '../shared/fixtures/wordpiece-vocab-uncased.txt' },
    cache: { type: 'string', default: '.fidelity' },
    bases: { type: 'string', default: 'scratch,pretrained' },
    'same-draws': { type: 'boolean', default: false },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
if (!v.csv) {
  log('usage: npm run fidelity -- --csv FILE (see the top of scripts/fidelity.ts)');
  process.exit(2);
}
tf.env().set('PROD', true);
registerKernels(); // TabTune's own kernels, as chooseBackend registers them
await tf.setBackend('wasm');
const roles = { text: 'Review Text', pair: 'Title', label: 'Rating' };
const full = readCsvBytes(readFileSync(v.csv), v.csv);
const n = Number(v.rows);
const table = { ...full, rows: full.rows.slice(0, n) };
mkdirSync(v.cache!, { recursive: true });

const bases = v.bases!.split(',') as Array<'scratch' | 'pretrained'>;
const pretrained = bases.includes('pretrained')
  ? await pretrainedStandIn({
      full,
      rows: n,
      roles,
      csv: v.csv,
      vocab: v.vocab!,
      cache: v.cache!,
      maxLength: Number(v['max-length']),
      steps: v['pretrain-steps']!,
    })
  : null;
interface Curve {
  step: number;
  loss: number;
  auc: number | null;
}
const results: Array<{ base: 'scratch' | 'pretrained'; seed: number; tabtune: Curve[]; pytorch: Curve[] }> =
  [];
for (const base of bases) {
  for (const seed of v.seeds!.split(',').map(Number)) {
    const config: TrainConfig = {
      ...DEFAULT_TRAIN_CONFIG,
      seed,
      epochs: Number(v.epochs),
      maxLength: Number(v['max-length']),
      learningRate: base === 'scratch' ? 1e-3 : 1e-4, // the recipes (train/recipe.ts)
      evalsPerEpoch: 1,
      earlyStopping: { metric: 'auc', patience: 0 }, // off: PyTorch's loop keeps the last weights too
      classicalBaseline: false,
      ...(v['same-draws'] ? { dropout: 0 } : {}),
    };
    const data = prepareData(table, roles, v.csv, config);
    const checkpoint = base === 'scratch' ? scratchCheckpoint(scratchTexts(data.train)) : pretrained!;
    const { start, weightsFile } = initialWeights(checkpoint, seed, `${base}-${seed}`);
    log(`${base}, seed ${seed}: TabTune…`);
    const history: EvalPoint[] = [];
    const run = await runTraining({
      data: { table, file: v.csv },
      validation: null,
      roles,
      config,
      base: { kind: 'checkpoint', checkpoint: start },
      backend: 'wasm',
      events: { evaluation: (e) => e.split === 'validation' && e.phase !== 'final' && history.push(e) },
    });
    run.model.dispose();
    log(`${base}, seed ${seed}: PyTorch…`);
    const torch = torchJob(run, weightsFile, v['same-draws']);
    // Before the first step both evaluate the very same weights: anything but equal means they did not start alike.
    const [mine, theirs] = [history[0]!.loss, torch.history[0]!.loss];
    if (Math.abs(mine - theirs) > 1e-4) {
      log(
        `${base}, seed ${seed}: the untrained losses differ (${mine} against ${theirs}); not the same start.`,
      );
      process.exit(1);
    }
    const perEpoch = (h: Array<{ step: number; loss: number; auc: number | null }>) =>
      h.map((e) => ({ step: e.step, loss: round(e.loss), auc: e.auc === null ? null : round(e.auc) }));
    // PyTorch's last entry is its final evaluation of the same weights as its last epoch's (no early stopping).
    results.push({ base, seed, tabtune: perEpoch(history), pytorch: perEpoch(torch.history.slice(0, -1)) });
    log(JSON.stringify(results.at(-1)));
  }
}
const out = {
  csv: v.csv,
  rows: n,
  epochs: Number(v.epochs),
  maxLength: Number(v['max-length']),
  sameDraws: v['same-draws'],
  results,
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n${table2md(results)}`);

function round(x: number): number {
  return Number(x.toFixed(4));
}

/**
 * The classifier TabTune builds from `checkpoint` with this seed (a fresh head, or the checkpoint's), written as
 * a safetensors file with Hugging Face names for PyTorch, and as the checkpoint TabTune itself starts from.
 */
function initialWeights(checkpoint: LoadedCheckpoint, seed: number, name: string) {
  const model = new SequenceClassifier(checkpoint.config, checkpoint.weights, 1, seed);
  const weights = new Map<string, HostTensor>();
  for (const [key, t] of model.namedParameters())
    weights.set(key, { shape: t.shape, data: t.dataSync() as Float32Array });
  model.dispose();
  const weightsFile = join(v.cache!, `${name}.safetensors`);
  writeFileSync(
    weightsFile,
    writeSafetensors([...weights].map(([k, t]) => ({ name: k, shape: t.shape, data: t.data }))),
  );
  // A loaded checkpoint holds its tensors under the loader's names (no "bert." prefix): canonicalName's.
  const start = new Map([...weights].map(([k, t]) => [canonicalName(k), t]));
  return { start: { ...checkpoint, weights: start }, weightsFile };
}

/** Validation AUC and loss per epoch, TabTune against PyTorch, mean over seeds. */
function table2md(rows: typeof results): string {
  const lines = [
    '| start | after epoch | AUC TabTune | AUC PyTorch | Δ AUC | loss TabTune | loss PyTorch |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const base of ['scratch', 'pretrained']) {
    const mine = rows.filter((r) => r.base === base);
    const epochs = mine[0]?.tabtune.length ?? 0;
    for (let e = 0; e < epochs; e++) {
      const mean = (f: (r: (typeof rows)[number]) => number | null) => {
        const xs = mine.map(f).filter((x): x is number => x !== null);
        return xs.reduce((a, b) => a + b, 0) / xs.length;
      };
      const [a, b] = [mean((r) => r.tabtune[e]!.auc), mean((r) => r.pytorch[e]?.auc ?? null)];
      const [la, lb] = [mean((r) => r.tabtune[e]!.loss), mean((r) => r.pytorch[e]?.loss ?? null)];
      lines.push(
        `| ${base} | ${e} | ${a.toFixed(3)} | ${b.toFixed(3)} | ${(a - b).toFixed(3)} | ${la.toFixed(4)} | ${lb.toFixed(4)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
