import { TabTuneError } from '../errors';
import { vocabToIds } from './vocab';

/** The fields of a checkpoint's tokenizer_config.json that shape a BERT tokenizer. */
export interface BertTokenizerConfig {
  do_lower_case?: boolean;
  /** null/undefined: follow do_lower_case, as BertTokenizerFast does. */
  strip_accents?: boolean | null;
  tokenize_chinese_chars?: boolean;
  unk_token?: string;
  sep_token?: string;
  pad_token?: string;
  cls_token?: string;
  mask_token?: string;
  model_max_length?: number;
}

export interface SpecialTokens {
  unk: string;
  sep: string;
  pad: string;
  cls: string;
  mask: string;
}

export function specialTokensOf(config: BertTokenizerConfig): SpecialTokens {
  return {
    unk: config.unk_token ?? '[UNK]',
    sep: config.sep_token ?? '[SEP]',
    pad: config.pad_token ?? '[PAD]',
    cls: config.cls_token ?? '[CLS]',
    mask: config.mask_token ?? '[MASK]',
  };
}

/**
 * Builds the tokenizer.json that transformers' BertConverter writes for a vocab.txt-only checkpoint:
 * BertNormalizer → BertPreTokenizer → WordPiece (max 100 chars a word) → [CLS] A [SEP] (B [SEP]).
 */
export function tokenizerJsonFromVocab(tokens: readonly string[], config: BertTokenizerConfig = {}): object {
  const vocab = vocabToIds(tokens);
  const special = specialTokensOf(config);
  const lowercase = config.do_lower_case ?? true;
  // Order matches transformers' all_special_tokens: unk, sep, pad, cls, mask; sorted by id as in tokenizer.json.
  const addedTokens = [special.unk, special.sep, special.pad, special.cls, special.mask]
    .filter((t) => vocab[t] !== undefined)
    .map((t) => ({
      id: vocab[t] as number,
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    }))
    .sort((a, b) => a.id - b.id);
  const idOf = (t: string): number => {
    const id = vocab[t];
    if (id === undefined) {
      throw new TabTuneError(
        'tokenizer',
        `vocab.txt has no ${t} token. A BERT tokenizer needs ${special.cls} and ${special.sep}; check that vocab.txt and tokenizer_config.json belong to the same checkpoint.`,
      );
    }
    return id;
  };
  const specialEntry = (t: string) => ({ id: t, ids: [idOf(t)], tokens: [t] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: config.tokenize_chinese_chars ?? true,
      strip_accents: config.strip_accents ?? null,
      lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: special.cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: special.sep, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: special.cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: special.sep, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: special.sep, type_id: 1 } },
      ],
      special_tokens: { [special.cls]: specialEntry(special.cls), [special.sep]: specialEntry(special.sep) },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: special.unk,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}
