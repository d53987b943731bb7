// Writes test-fixtures/tokenizer/golden.json: ids from Hugging Face's own Rust tokenizers (the engine
// behind BertTokenizerFast), built the way BertWordPieceTokenizer builds it from a vocab.txt.
// Not a project dependency. To regenerate:
//   mkdir -p /tmp/tokref && (cd /tmp/tokref && npm init -y && npm i tokenizers@0.23.2)
//   NODE_PATH=/tmp/tokref/node_modules node scripts/reference/tokenizer-golden.mjs
import { writeFileSync } from 'node:fs';
import { rustBertTokenizer } from './rust-tokenizer.mjs';
import { texts, pairs, maxLengths, configs } from './tokenizer-corpus.mjs';

const vocabPath = new URL('../../test-fixtures/tokenizer/vocab-uncased-30k.txt', import.meta.url).pathname;

const cases = [];
for (const { name, tokenizerConfig } of configs) {
  for (const maxLength of maxLengths) {
    const tok = await rustBertTokenizer(vocabPath, tokenizerConfig, maxLength);
    const inputs = [...texts.map((t) => [t, null]), ...pairs];
    for (const [text, pair] of inputs) {
      if (maxLength !== null && pair !== null && maxLength < 4) continue;
      const enc = await tok.encode(text, pair);
      cases.push({
        config: name,
        text,
        pair,
        maxLength,
        input_ids: enc.getIds(),
        token_type_ids: enc.getTypeIds(),
      });
    }
  }
}
const out = new URL('../../test-fixtures/tokenizer/golden.json', import.meta.url).pathname;
writeFileSync(out, JSON.stringify({ generator: 'tokenizers@0.23.2 (Rust, Node bindings)', configs, cases }));
console.log(`wrote ${cases.length} cases to ${out}`);
