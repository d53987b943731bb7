import type { LabelSpec } from '../data/labels';
import type { Attribution } from './integratedGradients';
import { wordAttributions, type WordAttribution } from './words';

/** What the studio shows for one text: the attributions by word, and what they explain. */
export interface Explanation extends Attribution {
  words: WordAttribution[];
  /** What the score is, in words: "predicted rating", "P(rating ≥ 4)", "P(rating = 5)". */
  explains: string;
}

export function explanation(a: Attribution, spec: LabelSpec): Explanation {
  return {
    ...a,
    words: wordAttributions(a.tokens, a.attributions),
    explains: explainedScore(spec, a.explainedClass, a.explainedLabel),
  };
}

/**
 * The score attributions explain, in words; for classification, of `rating`, and for multi-label of `label` (null:
 * before one is predicted).
 */
export function explainedScore(spec: LabelSpec, rating: number | null, label: string | null = null): string {
  if (spec.task === 'multi-label')
    return label === null ? 'probability of the most likely label' : `P(${label})`;
  if (spec.task === 'regression') return 'predicted rating';
  if (spec.task === 'binary') return `P(rating ≥ ${spec.threshold})`;
  return rating === null ? 'probability of the predicted rating' : `P(rating = ${rating})`;
}

/** A signed number as the attributions view writes it: "+0.123", "−0.045" (a true minus sign). */
export function signed(x: number, digits = 3): string {
  const v = Math.abs(x).toFixed(digits);
  return Number(v) === 0 ? `±${v}` : x > 0 ? `+${v}` : `−${v}`;
}

/** How strongly a word is tinted: its attribution against the largest in the text, in [0, 1]. */
export function strength(a: number, words: readonly WordAttribution[]): number {
  const max = Math.max(...words.map((w) => Math.abs(w.attribution)));
  return max > 0 ? Math.abs(a) / max : 0;
}
