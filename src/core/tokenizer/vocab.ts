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
