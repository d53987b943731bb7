import { signed, strength, type Explanation } from '../../core/explain/explanation';
import type { WordAttribution } from '../../core/explain/words';

/** A word's tint: green where it raised the score, red where it lowered it, stronger for a larger share. */
function tint(w: WordAttribution, words: readonly WordAttribution[]): string {
  const alpha = (0.12 + 0.5 * strength(w.attribution, words)).toFixed(2);
  return w.attribution >= 0 ? `rgba(46, 160, 67, ${alpha})` : `rgba(214, 57, 57, ${alpha})`;
}

/**
 * Which words moved a score, and by how much: the text with each word tinted by its attribution, and the same
 * numbers as a table (screen readers, and anyone who wants the figures).
 */
export function Attributions({ explanation, label }: { explanation: Explanation; label: string }) {
  const { words, score, baselineScore, explains } = explanation;
  const strongest = [...words].sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution)).slice(0, 10);
  return (
    <figure className="attributions" aria-label={label}>
      <figcaption>
        {explains} <strong>{score.toFixed(3)}</strong> = {baselineScore.toFixed(3)} with every word replaced
        by [PAD], {signed(score - baselineScore)} from the words: green words raised it, red ones lowered it
        (integrated gradients; word pieces summed into words).
      </figcaption>
      <p className="attributed-text" aria-hidden="true">
        {words.map((w, i) => (
          <span key={i}>
            {i > 0 && w.segment !== words[i - 1]!.segment && <span className="pair-break"> | </span>}
            <span className="word" style={{ backgroundColor: tint(w, words) }} title={signed(w.attribution)}>
              {w.word}
            </span>{' '}
          </span>
        ))}
      </p>
      <details>
        <summary>The words that moved it most, as numbers</summary>
        <table aria-label={`${label}: strongest words`}>
          <thead>
            <tr>
              <th>word</th>
              <th>attribution</th>
            </tr>
          </thead>
          <tbody>
            {strongest.map((w, i) => (
              <tr key={i}>
                <td>{w.word}</td>
                <td>{signed(w.attribution)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
