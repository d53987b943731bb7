// The label audit measured on real reviews with flipped ratings (docs/audit.md). For each seed: N reviews drawn
// from a real CSV, a share of their ratings flipped across the scale (r → 6 − r, never a 3), and M other reviews
// kept clean as a test set. Then:
//   1. `cli audit` on the noisy file: the share of the flips in its top 10 % (recall) and of its top 5 % that are
//      flips (precision), and its estimate of the wrong labels; scikit-learn's plain cross-fitted residual and
//      cleanlab's self-confidence ranking (scripts/reference/audit_sklearn.py) on the same file, as rows beside it;
//   2. retraining without the audit's flags (`train --exclude flagged.csv --above A`, as a user would): the clean
//      test AUC before and after, paired (DeLong), for the classical baseline and for BERT from scratch.
//
//   npm run audit-measure -- --csv ../shared/fixtures/womens-clothing-reviews.csv [--rows 3000] [--share 0.05]
//       [--seeds 1,2,3] [--test-rows 2000] [--above 0.95] [--bert] [--audit-model scratch] [--epochs 4] [--max-length 96]
//       [--out /tmp/audit-measure]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { classicalOutputs, fitClassicalModel } from '../src/core/baseline/classical';
import { parseCsv, readCsvBytes } from '../src/core/data/csv';
import { writeCsv } from '../src/core/data/csvWrite';
import { buildDataset, type Example } from '../src/core/data/dataset';
import { makeLabelSpec, predictionOf } from '../src/core/data/labels';
import { seededRandom, shuffleInPlace } from '../src/core/data/split';
import { pairedAucDifference, type PairedAuc } from '../src/core/metrics/interval';

const { values: v } = parseArgs({
  options: {
    csv: { type: 'string' },
    rows: { type: 'string', default: '3000' },
    share: { type: 'string', default: '0.05' },
    seeds: { type: 'string', default: '1,2,3' },
    'test-rows': { type: 'string', default: '2000' },
    above: { type: 'string', default: '0.95' },
    bert: { type: 'boolean', default: false },
    'audit-model': { type: 'string' },
    epochs: { type: 'string', default: '4' },
    'max-length': { type: 'string', default: '96' },
    out: { type: 'string', default: '/tmp/audit-measure' },
  },
});
if (!v.csv) throw new Error('--csv is required (a CSV with "Review Text" and "Rating")');
const [n, m, share, above] = [Number(v.rows), Number(v['test-rows']), Number(v.share), Number(v.above)];
const all = buildDataset(
  readCsvBytes(readFileSync(v.csv), v.csv),
  { text: 'Review Text', pair: null, label: 'Rating' },
  v.csv,
).examples;
mkdirSync(v.out!, { recursive: true });
const npm = (args: string[]) => {
  const r = spawnSync('npm', ['run', '-s', 'cli', '--', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run cli -- ${args.join(' ')}\n${r.stderr}`);
  return r.stderr;
};
const csvOf = (rows: Example[]) =>
  writeCsv({ fields: ['review', 'rating'], data: rows.map((e) => [e.text, String(e.rating)]) });
const cols = ['--text-column', 'review', '--label-column', 'rating'];
const hasSklearn = spawnSync('/usr/bin/python3', ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;

interface Found {
  recall10: number;
  precision5: number;
}
/** Recall of the flips in the top 10 % of a ranking, and precision of its top 5 % (rows in file order). */
function found(scores: readonly number[], flipped: ReadonlySet<number>): Found {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const hits = (q: number) =>
    order.slice(0, Math.round(q * scores.length)).filter((i) => flipped.has(i)).length;
  return { recall10: hits(0.1) / flipped.size, precision5: hits(0.05) / Math.round(0.05 * scores.length) };
}

const results: Record<string, unknown>[] = [];
for (const seed of v.seeds!.split(',').map(Number)) {
  const dir = join(v.out!, `seed-${seed}`);
  mkdirSync(dir, { recursive: true });
  const drawn = shuffleInPlace([...all], seededRandom(seed * 7919));
  const noisy = drawn.slice(0, n).map((e) => ({ ...e }));
  const test = drawn.slice(n, n + m);
  const random = seededRandom(seed);
  const flipped = new Set<number>();
  while (flipped.size < Math.round(share * n)) {
    const i = Math.floor(random() * n);
    if (noisy[i]!.rating !== 3) flipped.add(i);
  }
  for (const i of flipped) noisy[i]!.rating = 6 - noisy[i]!.rating;
  const data = join(dir, 'noisy.csv');
  writeFileSync(data, csvOf(noisy));
  writeFileSync(join(dir, 'clean-test.csv'), csvOf(test));
  // 1. The audit and the references, each a score per row in file order (line = row + 2).
  const flagged = join(dir, 'flagged.csv');
  const t0 = Date.now();
  const said = npm(['audit', '--data', data, ...cols, '--out', flagged]);
  const seconds = (Date.now() - t0) / 1000;
  // A review with a line break spans lines of the file: rows are found by the line each starts on.
  const rowOfLine = new Map(
    parseCsv(readFileSync(data, 'utf8'), 'noisy.csv').rows.map((r, i) => [r.line, i]),
  );
  const audit = new Array<number>(n);
  for (const row of parseCsv(readFileSync(flagged, 'utf8'), 'flagged.csv').rows)
    audit[rowOfLine.get(Number(row.values.line))!] = Number(row.values.suspicion);
  const estimate = Number(/About ([\d,]+) of/.exec(said)![1]!.replace(/,/g, ''));
  const rankings: Record<string, Found> = {
    'TabTune cli audit (ridge residual, calibrated)': found(audit, flipped),
  };
  if (v['audit-model']) {
    // The audit with a model fine-tuned once per fold, joined where it ranks at least as well as the classical one.
    const withModel = join(dir, 'flagged-model.csv');
    const args = ['audit', '--data', data, ...cols, '--model', v['audit-model'], '--epochs', v.epochs!];
    const told = npm([...args, '--max-length', v['max-length']!, '--seed', String(seed), '--out', withModel]);
    const scores = new Array<number>(n);
    for (const row of parseCsv(readFileSync(withModel, 'utf8'), 'flagged.csv').rows)
      scores[rowOfLine.get(Number(row.values.line))!] = Number(row.values.suspicion);
    rankings[
      `TabTune cli audit --model ${v['audit-model']} (${/classical audit stands/.test(told) ? 'not joined: the classical model ranked better' : 'joined'})`
    ] = found(scores, flipped);
    process.stderr.write(
      `${told
        .split('\n')
        .filter((l) => l.startsWith("The fine-tuned model's"))
        .join('\n')}\n`,
    );
  }
  if (hasSklearn) {
    const ref = join(dir, 'sklearn.json');
    execFileSync('/usr/bin/python3', ['scripts/reference/audit_sklearn.py', data, 'review', 'rating', ref]);
    const r = JSON.parse(readFileSync(ref, 'utf8')) as { residual: number[]; self_confidence: number[] };
    rankings['scikit-learn: plain cross-fitted residual (ridge)'] = found(r.residual, flipped);
    rankings["cleanlab's self-confidence (logistic, scikit-learn)"] = found(r.self_confidence, flipped);
  }
  const flaggedRows = new Set(audit.flatMap((s, i) => (s >= above ? [i] : [])));
  // 2. Retraining without the flags, scored on the clean test rows.
  const positive = test.map((e) => e.rating >= 4);
  const spec = makeLabelSpec(
    'regression',
    noisy.map((e) => e.rating),
  );
  const classical = (rows: Example[]) => {
    const model = fitClassicalModel(spec, rows);
    return classicalOutputs(model, test).map((o) => predictionOf(spec, o).score);
  };
  const retrain: Record<string, PairedAuc | null> = {
    classical: pairedAucDifference(
      positive,
      classical(noisy.filter((_, i) => !flaggedRows.has(i))),
      classical(noisy),
    ),
    'classical, the flips themselves left out (the most any audit can give)': pairedAucDifference(
      positive,
      classical(noisy.filter((_, i) => !flipped.has(i))),
      classical(noisy),
    ),
  };
  if (v.bert) {
    const scores = (name: string, extra: string[]) => {
      const out = join(dir, name);
      npm([
        'train',
        '--model',
        'scratch',
        '--data',
        data,
        ...cols,
        '--test-fraction',
        '0',
        '--epochs',
        v.epochs!,
        '--max-length',
        v['max-length']!,
        '--seed',
        String(seed),
        '--no-classical',
        ...extra,
        '--out',
        out,
      ]);
      npm([
        'predict',
        '--model',
        out,
        '--data',
        join(dir, 'clean-test.csv'),
        '--text-column',
        'review',
        '--out',
        join(dir, `${name}.csv`),
      ]);
      return parseCsv(readFileSync(join(dir, `${name}.csv`), 'utf8'), 'p').rows.map((r) =>
        Number(r.values.score),
      );
    };
    retrain['BERT-tiny from scratch'] = pairedAucDifference(
      positive,
      scores('excluded', ['--exclude', flagged, '--above', String(above)]),
      scores('all', []),
    );
  }
  results.push({
    seed,
    flips: flipped.size,
    estimate,
    flaggedAbove: flaggedRows.size,
    flaggedFlips: [...flipped].filter((i) => flaggedRows.has(i)).length,
    seconds,
    rankings,
    retrain,
  });
  process.stderr.write(`${JSON.stringify(results.at(-1))}\n`);
}
writeFileSync(join(v.out!, 'results.json'), JSON.stringify(results, null, 2));

const f3 = (x: number) => x.toFixed(3);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
process.stdout.write(
  `\n${n} reviews, ${share * 100} % flipped, seeds ${v.seeds} (mean, then each seed):\n\n| method | flips in top 10 % | precision of top 5 % |\n| --- | --- | --- |\n`,
);
for (const method of Object.keys(results[0]!.rankings as object)) {
  const rs = results.map((r) => (r.rankings as Record<string, Found>)[method]!);
  process.stdout.write(
    `| ${method} | ${f3(mean(rs.map((r) => r.recall10)))} (${rs.map((r) => f3(r.recall10)).join(', ')}) | ${f3(mean(rs.map((r) => r.precision5)))} (${rs.map((r) => f3(r.precision5)).join(', ')}) |\n`,
  );
}
process.stdout.write(
  `\nEstimate of wrong labels: ${results.map((r) => `${r.estimate} (flipped ${r.flips})`).join(', ')}. Rows with suspicion ≥ ${above}: ${results.map((r) => `${r.flaggedAbove} (${r.flaggedFlips} flips)`).join(', ')}.\n`,
);
process.stdout.write(
  `\n| retrained without the rows at suspicion ≥ ${above} | clean test AUC before → after | difference (95 % paired) |\n| --- | --- | --- |\n`,
);
for (const model of Object.keys(results[0]!.retrain as object))
  for (const r of results) {
    const p = (r.retrain as Record<string, PairedAuc | null>)[model];
    if (p)
      process.stdout.write(
        `| ${model}, seed ${r.seed} | ${f3(p.b)} → ${f3(p.a)} | ${f3(p.difference)} (${f3(p.low)} to ${f3(p.high)}) |\n`,
      );
  }
