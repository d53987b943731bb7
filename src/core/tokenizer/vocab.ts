import { TabTuneError } from '../errors';

/**
 * Parses a WordPiece vocab.txt the way Hugging Face's `load_vocab` does: one token per line, id = line
 * number, only the trailing "\n" stripped (a "\r" stays part of the token, as in transformers).
 */
export function parseVocab(text: string, fileName = 'vocab.txt'): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) {
    throw new TabTuneError(
      'tokenizer',
      `${fileName} is empty. Provide the vocab.txt that belongs to the checkpoint.`,
    );
  }
  return lines;
}

/** token → id; for a token listed twice the later line wins, as in transformers. */
export function vocabToIds(tokens: readonly string[]): Record<string, number> {
  // Null prototype: a vocabulary may contain "__proto__" or "constructor" as plain tokens.
  const ids: Record<string, number> = Object.create(null) as Record<string, number>;
  tokens.forEach((t, i) => {
    ids[t] = i;
  });
  return ids;
}

interface TokenizerJsonVocab {
  model?: { vocab?: Record<string, number> };
  added_tokens?: Array<{ id?: number; content?: string }>;
}

/**
 * The vocab.txt that belongs to a tokenizer.json: its WordPiece vocabulary in id order, one token per line, so
 * that Hugging Face's slow BertTokenizer (which reads vocab.txt only: id = line number) gives the ids the
 * tokenizer.json gives. An id the vocabulary skips (none does in a BERT vocabulary) is an added token's, or a
 * placeholder no text can produce ("[" is split off as punctuation), so every later token keeps its id.
 */
export function vocabTextFromTokenizerJson(json: unknown, source = 'tokenizer.json'): string {
  const vocab = (json as TokenizerJsonVocab | null)?.model?.vocab;
  if (!vocab || typeof vocab !== 'object')
    throw new TabTuneError(
      'tokenizer',
      `${source} has no WordPiece vocabulary (model.vocab), so no vocab.txt can be written. Use a BERT tokenizer.`,
    );
  const tokens: Array<string | undefined> = [];
  for (const [token, id] of Object.entries(vocab)) tokens[id] = token;
  for (const t of (json as TokenizerJsonVocab).added_tokens ?? [])
    if (typeof t.id === 'number' && typeof t.content === 'string' && tokens[t.id] === undefined)
      tokens[t.id] = t.content;
  const lines = Array.from(tokens, (t, id) => t ?? `[TABTUNE_UNUSED_${id}]`);
  const broken = lines.find((t) => /[\n\r]/.test(t));
  if (broken !== undefined)
    throw new TabTuneError(
      'tokenizer',
      `${source} has the token ${JSON.stringify(broken)}, which a vocab.txt (one token per line) cannot hold.`,
    );
  return `${lines.join('\n')}\n`;
}
