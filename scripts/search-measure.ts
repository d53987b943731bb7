// The settings search measured on real reviews (docs/search.md): `cli search` from the masked-LM stand-in (a
// checkpoint whose recipe rate under-trains it) and from scratch, on the first rows of a real CSV split 5 : 1 : 1
// (2,000 train / 400 validation / 400 test of 2,800), and a table of what it found against the recipe.
//
//   npm run search-measure -- --csv ../shared/fixtures/womens-clothing-reviews.csv [--budget-minutes 12]
//       [--bases pretrained,scratch] [--rows 2800] [--max-length 96] [--seed 42] [--pretrain-steps 1000]
//       [--vocab ../shared/fixtures/wordpiece-vocab-uncased.txt] [--cache .fidelity] [--out /tmp/search-measure]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import { readCsvBytes } from '../src/core/data/csv';
import { pretrainedStandIn } from './pretrainedStandIn';

const { values: v } = parseArgs({
  options: {
    csv: { type: 'string' },
    'budget-minutes': { type: 'string', default: '12' },
    bases: { type: 'string', default: 'pretrained,scratch' },
    rows: { type: 'string', default: '2800' },
    'max-length': { type: 'string', default: '96' },
    seed: { type: 'string', default: '42' },
    'pretrain-steps': { type: 'string', default: '1000' },
    vocab: { type: 'string', default: '../shared/fixtures/wordpiece-vocab-uncased.txt' },
    cache: { type: 'string', default: '.fidelity' },
    out: { type: 'string', default: '/tmp/search-measure' },
  },
});
if (!v.csv) throw new Error('--csv is required (a CSV with "Review Text" and "Rating")');
const roles = { text: 'Review Text', pair: null, label: 'Rating' };
const full = readCsvBytes(readFileSync(v.csv), v.csv);
const rows = Number(v.rows);
mkdirSync(v.out!, { recursive: true });
mkdirSync(v.cache!, { recursive: true });
const data = join(v.out!, 'reviews.csv');
writeFileSync(
  data,
  Papa.unparse({ fields: full.columns, data: full.rows.slice(0, rows).map((r) => r.values) }),
);

interface Row {
  base: string;
  trials: number;
  seconds: number;
  /** The whole command: loading, the search, the winner's final evaluation and export. */
  command: number;
  winner: string;
  valWinner: number | null;
  valRecipe: number | null;
  testWinner: number | null;
  testRecipe: number | null;
  interval: string;
}
const table: Row[] = [];
const share = (1 / 7).toFixed(6);
for (const base of v.bases!.split(',')) {
  const model =
    base === 'pretrained'
      ? (
          await pretrainedStandIn({
            full,
            rows,
            roles,
            csv: v.csv,
            vocab: v.vocab!,
            cache: v.cache!,
            maxLength: Number(v['max-length']),
            steps: v['pretrain-steps']!,
          })
        ).source.replace(/^folder /, '')
      : 'scratch';
  const out = join(v.out!, base);
  const args = ['run', '-s', 'cli', '--', 'search', '--model', model, '--data', data];
  args.push('--text-column', roles.text, '--label-column', roles.label, '--max-length', v['max-length']!);
  args.push('--val-fraction', share, '--test-fraction', share, '--seed', v.seed!);
  args.push('--budget-minutes', v['budget-minutes']!, '--out', out);
  process.stderr.write(`npm ${args.join(' ')}\n`);
  const t0 = Date.now();
  execFileSync('npm', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const command = (Date.now() - t0) / 1000;
  const search = JSON.parse(readFileSync(join(out, 'search.json'), 'utf8'));
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  const w = search.trials[search.winner];
  const vs = search.vs_recipe;
  const f = (x: number | null) => (x === null ? '—' : x.toFixed(3));
  table.push({
    base,
    trials: search.trials.length,
    seconds: search.seconds,
    command,
    winner: `lr ${w.settings.learningRate}, batch ${w.settings.batchSize}`,
    valWinner: w.val_auc_per_rung.at(-1),
    valRecipe: search.trials[0].val_auc_per_rung.at(-1),
    testWinner: metrics.final?.test?.auc ?? null,
    testRecipe: vs?.b ?? null,
    interval: vs ? `${f(vs.difference)} (${f(vs.low)} to ${f(vs.high)})` : 'the recipe won',
  });
}
const f = (x: number | null) => (x === null ? '—' : x.toFixed(3));
process.stdout.write(
  `| start | trials | search / command (s) | winner | val AUC winner / recipe | test AUC winner / recipe | test difference (95 % paired) |\n| --- | --- | --- | --- | --- | --- | --- |\n`,
);
for (const r of table)
  process.stdout.write(
    `| ${r.base} | ${r.trials} | ${r.seconds.toFixed(0)} / ${r.command.toFixed(0)} | ${r.winner} | ${f(r.valWinner)} / ${f(r.valRecipe)} | ${f(r.testWinner)} / ${f(r.testRecipe)} | ${r.interval} |\n`,
  );
