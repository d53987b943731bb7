import type { LoadedCheckpoint } from '../checkpoint/load';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { BERT_CONFIG_DEFAULTS, type BertConfig } from './config';

/**
 * "From scratch": a small BERT with a WordPiece vocabulary learned from the training texts, for fully
 * offline use when no pretrained checkpoint can be downloaded. It has no pretrained knowledge, so it
 * needs more data; it exists so that TabTune works with no network at all.
 */
export const SCRATCH_SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Lowercase, strip accents, split on whitespace and punctuation: BERT's basic tokenizer, for counting words. */
export function basicWords(text: string): string[] {
  const norm = text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase();
  return norm.split(/\s+|(?=[\p{P}\p{S}])|(?<=[\p{P}\p{S}])/u).filter((w) => w.length > 0);
}

/**
 * A vocab.txt for the texts: special tokens, every character seen (alone and as a "##" continuation,
 * so any word can be spelled), then the most frequent words, up to `size` entries.
 */
export function learnVocab(texts: Iterable<string>, size = 8000): string[] {
  const counts = new Map<string, number>();
  const chars = new Set<string>();
  for (const t of texts) {
    for (const w of basicWords(t)) {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const c of w) chars.add(c);
    }
  }
  const vocab: string[] = [...SCRATCH_SPECIAL];
  const seen = new Set(vocab);
  const add = (t: string) => {
    if (!seen.has(t) && vocab.length < size) {
      seen.add(t);
      vocab.push(t);
    }
  };
  const sortedChars = [...chars].sort();
  sortedChars.forEach(add);
  sortedChars.forEach((c) => add(`##${c}`));
  [...counts]
    .filter(([w]) => [...w].length <= 100)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .forEach(([w]) => add(w));
  return vocab;
}

/** BERT-tiny's shape (2 layers, hidden 128, 2 heads) over the learned vocabulary. */
export function scratchConfig(vocabSize: number, overrides: Partial<BertConfig> = {}): BertConfig {
  return {
    ...BERT_CONFIG_DEFAULTS,
    vocab_size: vocabSize,
    hidden_size: 128,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    intermediate_size: 512,
    max_position_embeddings: 512,
    ...overrides,
  };
}

/** A LoadedCheckpoint-shaped starting point with a vocabulary learned from `texts` and no weights. */
export function scratchCheckpoint(texts: Iterable<string>, vocabSize = 8000): LoadedCheckpoint {
  const vocab = learnVocab(texts, vocabSize);
  const vocabText = `${vocab.join('\n')}\n`;
  const tokenizerConfig = { do_lower_case: true };
  const config = scratchConfig(vocab.length);
  return {
    source: 'scratch',
    config,
    rawConfig: { ...config, model_type: 'bert' },
    tokenizer: BertTokenizer.fromVocab(vocabText, tokenizerConfig, 'learned vocabulary'),
    tokenizerConfig,
    tokenizerFiles: new Map([['vocab.txt', new TextEncoder().encode(vocabText)]]),
    weights: new Map(),
    weightsFile: '(none: trained from scratch)',
    report: { initialized: [], unexpected: [], classifierLabels: null },
  };
}
