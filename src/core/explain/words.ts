/** One word of a text and its attribution: its word pieces' attributions summed. */
export interface WordAttribution {
  word: string;
  attribution: number;
  /** Which text it is in: 0 the first, 1 the second of a pair. */
  segment: 0 | 1;
}

const SPECIAL = /^\[(CLS|SEP|PAD|UNK|MASK)\]$/;

/**
 * Word pieces merged into words by summing their attributions ("##ing" joins the piece before it); [CLS] and [SEP]
 * are left out (the baseline keeps them, so theirs are ~0), and a [SEP] before more tokens starts the second text.
 */
export function wordAttributions(
  tokens: readonly string[],
  attributions: readonly number[],
): WordAttribution[] {
  const words: WordAttribution[] = [];
  let segment: 0 | 1 = 0;
  tokens.forEach((token, i) => {
    const a = attributions[i] ?? 0;
    if (token === '[SEP]') {
      if (i < tokens.length - 1) segment = 1;
      return;
    }
    if (token !== '[UNK]' && SPECIAL.test(token)) return;
    const last = words.at(-1);
    if (token.startsWith('##') && last && last.segment === segment) {
      last.word += token.slice(2);
      last.attribution += a;
    } else words.push({ word: token, attribution: a, segment });
  });
  return words;
}
