// Writes test-fixtures/tokenizer/golden.json: ids from Hugging Face's own Rust tokenizers (the engine
// behind BertTokenizerFast), built the way BertWordPieceTokenizer builds it from a vocab.txt.
// Not a project dependency. To regenerate:
//   mkdir -p /tmp/tokref && (cd /tmp/tokref && npm init -y && npm i tokenizers@0.23.2)
//   NODE_PATH=/tmp/tokref/node_modules node scripts/reference/tokenizer-golden.mjs
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { texts, pairs, maxLengths, configs } from './tokenizer-corpus.mjs';

const require = createRequire(import.meta.url);
const hf = require(
  require.resolve('tokenizers', { paths: [process.env.NODE_PATH ?? '/tmp/tokref/node_modules'] }),
);
const vocabPath = new URL('../../test-fixtures/tokenizer/vocab-uncased-30k.txt', import.meta.url).pathname;

async function reference(tc, maxLength) {
  const lowercase = tc.do_lower_case ?? true;
  const model = await hf.WordPiece.fromFile(vocabPath, { unkToken: '[UNK]', maxInputCharsPerWord: 100 });
  const tok = new hf.Tokenizer(model);
  tok.setNormalizer(
    hf.bertNormalizer({
      cleanText: true,
      handleChineseChars: tc.tokenize_chinese_chars ?? true,
      stripAccents: tc.strip_accents ?? lowercase,
      lowercase,
    }),
  );
  tok.setPreTokenizer(hf.bertPreTokenizer());
  tok.setPostProcessor(hf.bertProcessing(['[SEP]', 102], ['[CLS]', 101]));
  tok.addSpecialTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  if (maxLength !== null) tok.setTruncation(maxLength, { strategy: 'LongestFirst' });
  return tok;
}

const cases = [];
for (const { name, tokenizerConfig } of configs) {
  for (const maxLength of maxLengths) {
    const tok = await reference(tokenizerConfig, maxLength);
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
