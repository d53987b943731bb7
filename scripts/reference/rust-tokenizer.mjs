// Hugging Face's Rust tokenizers (npm "tokenizers", the engine of BertTokenizerFast), built the way
// BertWordPieceTokenizer builds one from a vocab.txt. Shared by the reference scripts; not a project dependency.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const hf = require(
  require.resolve('tokenizers', { paths: [process.env.NODE_PATH ?? '/tmp/tokref/node_modules'] }),
);

/** options: do_lower_case, strip_accents, tokenize_chinese_chars (tokenizer_config.json names); maxLength or null. */
export async function rustBertTokenizer(vocabPath, options = {}, maxLength = null) {
  const lowercase = options.do_lower_case ?? true;
  const tok = new hf.Tokenizer(
    await hf.WordPiece.fromFile(vocabPath, { unkToken: '[UNK]', maxInputCharsPerWord: 100 }),
  );
  tok.setNormalizer(
    hf.bertNormalizer({
      cleanText: true,
      handleChineseChars: options.tokenize_chinese_chars ?? true,
      stripAccents: options.strip_accents ?? lowercase,
      lowercase,
    }),
  );
  tok.setPreTokenizer(hf.bertPreTokenizer());
  tok.setPostProcessor(hf.bertProcessing(['[SEP]', 102], ['[CLS]', 101]));
  tok.addSpecialTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  if (maxLength !== null) tok.setTruncation(maxLength, { strategy: 'LongestFirst' });
  return tok;
}
