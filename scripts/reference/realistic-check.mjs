// Manual end-to-end parity check on real data with a realistic 30k vocabulary (not part of the test suite:
// it needs ../shared/fixtures, python3-torch and the Rust tokenizers). See make-golden.sh for the tools.
//   node scripts/reference/realistic-check.mjs [rows=300]
import { createRequire } from 'node:module';
import { rustBertTokenizer } from './rust-tokenizer.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const Papa = require('papaparse');
const root = new URL('../../', import.meta.url).pathname;
const shared = join(root, '../shared/fixtures');
const nRows = Number(process.argv[2] ?? 300);
const work = mkdtempSync(join(tmpdir(), 'tabtune-realistic-'));

const all = Papa.parse(readFileSync(join(shared, 'womens-clothing-reviews.csv'), 'utf8'), {
  header: true,
  skipEmptyLines: true,
}).data;
const rows = all.slice(0, nRows);
const csv = join(work, 'reviews.csv');
writeFileSync(csv, Papa.unparse(rows.map((r) => ({ review: r['Review Text'] ?? '', title: r.Title ?? '' }))));

const vocabPath = join(shared, 'wordpiece-vocab-uncased.txt');
const tok = await rustBertTokenizer(vocabPath, {}, 128);
const pair = [];
for (const r of rows) {
  const e = await tok.encode(r['Review Text'] ?? '', r.Title ?? '');
  pair.push({ input_ids: e.getIds(), token_type_ids: e.getTypeIds() });
}
writeFileSync(join(work, 'inputs.json'), JSON.stringify({ pair }));

execFileSync('/usr/bin/python3', [join(root, 'scripts/reference/realistic_check.py'), work, vocabPath], {
  stdio: 'inherit',
});

let worstIds = 0;
for (const name of ['st-gelu', 'bin-gelu-new-legacy']) {
  const out = join(work, `${name}.jsonl`);
  execFileSync(
    'npx',
    [
      'tsx',
      join(root, 'src/cli/index.ts'),
      'embed',
      '--model',
      join(work, name),
      '--data',
      csv,
      '--text-column',
      'review',
      '--text-pair-column',
      'title',
      '--max-length',
      '128',
      '--batch-size',
      '32',
      '--out',
      out,
    ],
    { stdio: 'inherit', cwd: root },
  );
  const golden = JSON.parse(readFileSync(join(work, name, 'golden.json'), 'utf8'));
  const lines = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  let maxCls = 0;
  let maxPooled = 0;
  lines.forEach((rec, i) => {
    if (
      JSON.stringify(rec.input_ids) !== JSON.stringify(pair[i].input_ids) ||
      JSON.stringify(rec.token_type_ids) !== JSON.stringify(pair[i].token_type_ids)
    )
      worstIds++;
    rec.cls.forEach((v, j) => (maxCls = Math.max(maxCls, Math.abs(v - golden.cls[i][j]))));
    rec.pooled.forEach((v, j) => (maxPooled = Math.max(maxPooled, Math.abs(v - golden.pooled[i][j]))));
  });
  console.log(
    JSON.stringify({
      checkpoint: name,
      rows: lines.length,
      idMismatches: worstIds,
      maxAbsCls: maxCls,
      maxAbsPooled: maxPooled,
    }),
  );
}
