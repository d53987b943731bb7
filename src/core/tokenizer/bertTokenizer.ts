import { Tokenizer } from '@huggingface/tokenizers';
import { TabTuneError } from '../errors';
import { specialTokensOf, tokenizerJsonFromVocab, type BertTokenizerConfig } from './tokenizerJson';
import { longestFirstLengths } from './truncate';
import { parseVocab } from './vocab';

/** One encoded example, as BertTokenizerFast returns it (no padding: batches pad later). */
export interface Encoded {
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
}

interface TokenizerJsonShape {
  model?: { type?: string; vocab?: Record<string, number> };
  post_processor?: {
    type?: string;
    cls?: [string, number];
    sep?: [string, number];
    single?: Array<{ SpecialToken?: { id: string } }>;
    special_tokens?: Record<string, { ids: number[] }>;
  } | null;
}

/**
 * A BERT WordPiece tokenizer with ids identical to Hugging Face's BertTokenizerFast: normalization,
 * pre-tokenization and WordPiece run in @huggingface/tokenizers; truncation (longest-first) and the
 * [CLS] A [SEP] B [SEP] template run here, in that order, as the Rust implementation does.
 */
export class BertTokenizer {
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly vocabSize: number;
  private readonly inner: Tokenizer;

  private constructor(json: TokenizerJsonShape, config: BertTokenizerConfig, source: string) {
    if (json.model?.type !== 'WordPiece' || !json.model.vocab) {
      throw new TabTuneError(
        'tokenizer',
        `${source}: model type is ${JSON.stringify(json.model?.type)}, but TabTune needs a BERT WordPiece tokenizer. Use a BERT-architecture checkpoint.`,
      );
    }
    try {
      this.inner = new Tokenizer(json, config);
    } catch (e) {
      throw new TabTuneError('tokenizer', `${source} could not be read: ${(e as Error).message}.`);
    }
    const vocab = json.model.vocab;
    this.vocabSize = Object.keys(vocab).length;
    const special = specialTokensOf(config);
    const [cls, sep] = templateSpecialIds(json, vocab, special.cls, special.sep, source);
    this.clsId = cls;
    this.sepId = sep;
    this.padId = vocab[special.pad] ?? 0;
  }

  static fromTokenizerJson(
    json: unknown,
    config: BertTokenizerConfig = {},
    source = 'tokenizer.json',
  ): BertTokenizer {
    if (typeof json !== 'object' || json === null) {
      throw new TabTuneError(
        'tokenizer',
        `${source} is not a JSON object. Re-download the checkpoint's tokenizer.json.`,
      );
    }
    return new BertTokenizer(json as TokenizerJsonShape, config, source);
  }

  static fromVocab(vocabText: string, config: BertTokenizerConfig = {}, source = 'vocab.txt'): BertTokenizer {
    const json = tokenizerJsonFromVocab(parseVocab(vocabText, source), config);
    return new BertTokenizer(json as TokenizerJsonShape, config, source);
  }

  /** Token ids of one text without special tokens. */
  private pieces(text: string): number[] {
    return this.inner.encode(text, { add_special_tokens: false }).ids;
  }

  /**
   * Encodes a text or a text pair; `maxLength` counts the special tokens, as in transformers.
   * Pairs are truncated longest-first.
   */
  encode(text: string, pair: string | null = null, maxLength: number | null = null): Encoded {
    const a = this.pieces(text);
    const b = pair === null ? null : this.pieces(pair);
    let lenA = a.length;
    let lenB = b?.length ?? null;
    if (maxLength !== null) {
      const added = b === null ? 2 : 3;
      if (maxLength < added) {
        throw new TabTuneError(
          'usage',
          `max length ${maxLength} is too small: ${b === null ? 'a text' : 'a text pair'} needs ${added} special tokens. Use a max length of at least ${added}.`,
        );
      }
      [lenA, lenB] = longestFirstLengths(lenA, lenB, maxLength, added);
    }
    const inputIds = [this.clsId, ...a.slice(0, lenA), this.sepId];
    const tokenTypeIds = new Array<number>(inputIds.length).fill(0);
    if (b !== null && lenB !== null) {
      const second = [...b.slice(0, lenB), this.sepId];
      inputIds.push(...second);
      tokenTypeIds.push(...new Array<number>(second.length).fill(1));
    }
    return { inputIds, tokenTypeIds, attentionMask: new Array<number>(inputIds.length).fill(1) };
  }

  idToToken(id: number): string | undefined {
    return this.inner.id_to_token(id);
  }
}

function templateSpecialIds(
  json: TokenizerJsonShape,
  vocab: Record<string, number>,
  clsToken: string,
  sepToken: string,
  source: string,
): [number, number] {
  const post = json.post_processor;
  if (post?.type === 'BertProcessing' && post.cls && post.sep) return [post.cls[1], post.sep[1]];
  if (post?.type === 'TemplateProcessing' && post.single && post.special_tokens) {
    const first = post.single[0]?.SpecialToken?.id;
    const last = post.single[post.single.length - 1]?.SpecialToken?.id;
    const cls = first === undefined ? undefined : post.special_tokens[first]?.ids[0];
    const sep = last === undefined ? undefined : post.special_tokens[last]?.ids[0];
    if (cls !== undefined && sep !== undefined) return [cls, sep];
  }
  const cls = vocab[clsToken];
  const sep = vocab[sepToken];
  if (cls === undefined || sep === undefined) {
    throw new TabTuneError(
      'tokenizer',
      `${source} has no ${cls === undefined ? clsToken : sepToken} token. A BERT tokenizer needs both ${clsToken} and ${sepToken}; check tokenizer_config.json.`,
    );
  }
  return [cls, sep];
}
