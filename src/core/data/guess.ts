import type { CsvTable } from './csv';

export interface RoleGuess {
  text: string | null;
  pair: string | null;
  label: string | null;
}

const LABEL_NAMES = /^(rating|ratings|stars?|score|label|overall|review[_ ]?score)$/i;
const TEXT_NAMES = /(review|text|comment|body|description|content)/i;

/**
 * Guesses column roles from names and values: the label is a numeric column with few distinct values
 * (a rating), the text the column with the longest values, the pair a shorter text column (title,
 * item or user). The user can change every guess.
 */
export function guessRoles(table: CsvTable, sample = 500): RoleGuess {
  const rows = table.rows.slice(0, sample);
  const stats = table.columns.map((c) => {
    const values = rows.map((r) => (r.values[c] ?? '').trim()).filter((v) => v !== '');
    const numeric = values.filter((v) => Number.isFinite(Number(v)));
    const distinct = new Set(numeric).size;
    const avgLen = values.reduce((s, v) => s + v.length, 0) / Math.max(1, values.length);
    return {
      c,
      filled: values.length,
      numericShare: numeric.length / Math.max(1, values.length),
      distinct,
      avgLen,
    };
  });
  const ratingLike = stats.filter(
    (s) => s.filled > 0 && s.numericShare > 0.95 && s.distinct >= 2 && s.distinct <= 11,
  );
  const label =
    (ratingLike.find((s) => LABEL_NAMES.test(s.c)) ?? ratingLike[ratingLike.length - 1])?.c ?? null;
  const texts = stats
    .filter((s) => s.c !== label && s.numericShare < 0.5 && s.filled > 0)
    .sort((a, b) => b.avgLen - a.avgLen || Number(TEXT_NAMES.test(b.c)) - Number(TEXT_NAMES.test(a.c)));
  const text = texts[0]?.c ?? null;
  const pair = texts.find((s) => s.c !== text && s.avgLen >= 8)?.c ?? null;
  return { text, pair, label };
}
