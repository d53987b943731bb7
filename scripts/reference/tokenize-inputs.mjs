// Tokenizes test-fixtures/data/reviews-sample.csv with Hugging Face's Rust tokenizers (BertTokenizerFast's
// engine) and the model fixtures' vocab, writing test-fixtures/models/inputs.json for make_checkpoints.py.
// Run via scripts/reference/make-golden.sh.
import { createRequire } from 'node:module';
import { rustBertTokenizer } from './rust-tokenizer.mjs';
import { readFileSync, writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const Papa = require('papaparse');
const root = new URL('../../test-fixtures/', import.meta.url).pathname;
const vocabPath = `${root}models/vocab.txt`;
const MAX_LENGTH = 24;

const rows = Papa.parse(readFileSync(`${root}data/reviews-sample.csv`, 'utf8'), {
  header: true,
  skipEmptyLines: true,
}).data;
const tok = await rustBertTokenizer(vocabPath, {}, MAX_LENGTH);
const single = [];
const pair = [];
for (const r of rows) {
  const a = await tok.encode(r.review);
  single.push({ input_ids: a.getIds(), token_type_ids: a.getTypeIds() });
  const b = await tok.encode(r.review, r.user);
  pair.push({ input_ids: b.getIds(), token_type_ids: b.getTypeIds() });
}
writeFileSync(
  `${root}models/inputs.json`,
  JSON.stringify({ max_length: MAX_LENGTH, text_column: 'review', pair_column: 'user', single, pair }),
);
console.log(`tokenized ${rows.length} rows`);
