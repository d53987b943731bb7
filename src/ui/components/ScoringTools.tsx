import { useEffect, useState } from 'react';
import type { Prediction } from '../../core/data/labels';
import type { TextRow } from '../../core/embed';
import type { Explanation } from '../../core/explain/explanation';
import { rankCandidates } from '../../core/metrics/analysis';
import { Attributions } from './Attributions';
import { labelProbabilities } from '../labelResults';

interface Props {
  enabled: boolean;
  /** Multi-label: the model's labels, each shown with its probability. */
  labels?: string[] | null;
  onPredict: (rows: TextRow[]) => Promise<Prediction[] | null>;
  onExplain: (row: TextRow) => Promise<Explanation | null>;
}

/** Scores typed text as it changes, and ranks a list of candidate item texts (the recommendation use). */
export function ScoringTools({ enabled, labels = null, onPredict, onExplain }: Props) {
  const [text, setText] = useState('Beautiful dress, fits perfectly and the fabric is soft.');
  const [score, setScore] = useState<Prediction | null>(null);
  const [why, setWhy] = useState<{ text: string; explanation: Explanation } | null>(null);
  const [explaining, setExplaining] = useState(false);
  const [candidates, setCandidates] = useState(
    'Soft sweater, true to size, love it.\nCheap material, fell apart after one wash.\nNice color but runs small.',
  );
  const [ranked, setRanked] = useState<Array<{
    text: string;
    score: number;
    rankScore: number;
    rank: number;
  }> | null>(null);

  useEffect(() => {
    if (!enabled || text.trim() === '') return;
    const t = setTimeout(
      () => void onPredict([{ text, pair: null }]).then((p) => setScore(p?.[0] ?? null)),
      300,
    );
    return () => clearTimeout(t);
  }, [enabled, text, onPredict]);

  const rank = async () => {
    const texts = candidates
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const preds = await onPredict(texts.map((t) => ({ text: t, pair: null })));
    if (preds)
      setRanked(
        rankCandidates(
          preds.map((p, i) => ({ text: texts[i] as string, score: p.score, rankScore: p.rankScore })),
        ),
      );
  };

  return (
    <div className="scoring">
      <label htmlFor="try-text">Try it: type a review (scored as you type)</label>
      <textarea
        id="try-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={2}
        disabled={!enabled}
      />
      {score && enabled && (
        <p role="status" aria-label="Predicted score">
          {labels && score.probabilities ? (
            <>Predicted: {labelProbabilities(score.probabilities, labels)}</>
          ) : (
            <>
              Predicted: <strong>{score.score.toFixed(3)}</strong>
              {score.probabilities && ` (P(positive) ${score.rankScore.toFixed(3)})`}
            </>
          )}{' '}
          <button
            type="button"
            disabled={explaining}
            onClick={() => {
              setExplaining(true);
              void onExplain({ text, pair: null })
                .then((e) => setWhy(e && { text, explanation: e }))
                .finally(() => setExplaining(false));
            }}
          >
            {explaining ? 'Explaining…' : 'Why this score?'}
          </button>
        </p>
      )}
      {why && why.text === text && enabled && (
        <Attributions explanation={why.explanation} label="Why this score" />
      )}
      <label htmlFor="rank-text">Rank candidate items: one text per line</label>
      <textarea
        id="rank-text"
        value={candidates}
        onChange={(e) => setCandidates(e.target.value)}
        rows={4}
        disabled={!enabled}
      />
      <label htmlFor="rank-file">Or load candidates from a text file (one per line)</label>
      <input
        id="rank-file"
        type="file"
        accept=".txt,.csv,text/plain"
        disabled={!enabled}
        onChange={(e) =>
          void e.target.files?.[0]?.text().then((t) => setCandidates(t.replace(/\r\n?/g, '\n').trim()))
        }
      />
      <button type="button" disabled={!enabled} onClick={() => void rank()}>
        Rank
      </button>
      {ranked && (
        <ol aria-label="Ranked candidates">
          {ranked.map((r) => (
            <li key={r.rank}>
              <strong>{r.score.toFixed(3)}</strong> {r.text}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
