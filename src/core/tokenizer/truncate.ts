/**
 * Lengths of the two texts after longest-first truncation, as Hugging Face tokenizers (Rust, the engine
 * of BertTokenizerFast) computes them. `maxLength` counts the special tokens; `added` is how many
 * ([CLS] + [SEP] = 2, or 3 for a pair).
 *
 * Two details matter for exact parity (both checked against the Rust ids in bertTokenizer.test.ts):
 * each text is first cut to `maxLength` on its own, and when both must be cut the budget is halved
 * with the odd token going to the originally longer text (the second one on a tie).
 * The slow (Python) tokenizer's one-token-at-a-time loop differs in some of these cases.
 */
export function longestFirstLengths(
  n1: number,
  n2: number | null,
  maxLength: number,
  added: number,
): [number, number | null] {
  const budget = maxLength - added;
  if (n2 === null) return [Math.min(n1, budget), null];
  const a = Math.min(n1, maxLength);
  const b = Math.min(n2, maxLength);
  if (a + b <= budget) return [a, b];
  const swap = a > b;
  const short = swap ? b : a;
  let keepShort = short;
  let keepLong = short > budget ? short : Math.max(short, budget - short);
  if (keepShort + keepLong > budget) {
    keepShort = Math.floor(budget / 2);
    keepLong = keepShort + (budget % 2);
  }
  const [first, second] = swap ? [keepLong, keepShort] : [keepShort, keepLong];
  return [Math.min(a, first), Math.min(b, second)];
}
