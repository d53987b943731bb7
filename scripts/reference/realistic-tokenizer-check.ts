// Manual check: TabTune's tokenizer vs Hugging Face's Rust tokenizers on every review of the shared data set.
//   NODE_PATH=/tmp/tokref/node_modules npx tsx scripts/reference/realistic-tokenizer-check.ts
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { rustBertTokenizer } from './rust-tokenizer.mjs';
import { BertTokenizer } from '../../src/core/tokenizer/bertTokenizer';

const shared = new URL('../../../shared/fixtures/', import.meta.url).pathname;
const vocabPath = `${shared}wordpiece-vocab-uncased.txt`;
const rows = Papa.parse<Record<string, string>>(
  readFileSync(`${shared}womens-clothing-reviews.csv`, 'utf8'),
  {
    header: true,
    skipEmptyLines: true,
  },
).data;
const ours = BertTokenizer.fromVocab(readFileSync(vocabPath, 'utf8'));
let cases = 0;
let mismatches = 0;
for (const maxLength of [null, 128, 32]) {
  const ref = await rustBertTokenizer(vocabPath, {}, maxLength);
  for (const r of rows) {
    const text = r['Review Text'] ?? '';
    const pair = maxLength === 32 ? (r.Title ?? '') : null;
    const want = await ref.encode(text, pair);
    const got = ours.encode(text, pair, maxLength);
    cases++;
    if (
      JSON.stringify(got.inputIds) !== JSON.stringify(want.getIds()) ||
      JSON.stringify(got.tokenTypeIds) !== JSON.stringify(want.getTypeIds())
    ) {
      if (mismatches++ < 3) console.log('mismatch', JSON.stringify(text.slice(0, 80)), maxLength);
    }
  }
}
console.log(JSON.stringify({ rows: rows.length, cases, mismatches }));
