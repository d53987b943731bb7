import { ScrollRegion } from './ScrollRegion';
import { useMemo, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { confusionMatrix, type ScoredExample } from '../../core/metrics/analysis';
import { rocCurve } from '../../core/metrics/metrics';
import type { TextRow } from '../../core/embed';
import type { Explanation } from '../../core/explain/explanation';
import { Attributions } from './Attributions';
import type { RunSummary } from '../../shared/protocol';

export function RocChart({ run }: { run: RunSummary }) {
  const data = useMemo(() => {
    const ex = run.scored.examples;
    return rocCurve(
      ex.map((e) => e.rating >= run.spec.threshold),
      ex.map((e) => e.rankScore),
    ).map((p) => ({ fpr: p.fpr, tpr: p.tpr }));
  }, [run]);
  return (
    <figure aria-label="ROC curve" data-points={data.length}>
      <figcaption>
        ROC curve on the {run.scored.split} split (positive = rating ≥ {run.spec.threshold})
      </figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="fpr"
            type="number"
            domain={[0, 1]}
            label={{ value: 'false-positive rate', position: 'insideBottom', offset: -2 }}
          />
          <YAxis domain={[0, 1]} />
          <Tooltip />
          <Line
            dataKey="tpr"
            name="true-positive rate"
            stroke="#1a9a5a"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Regression: predicted against true rating. Classification: the confusion matrix. */
export function PredictedVsTrue({ run }: { run: RunSummary }) {
  const ex = run.scored.examples;
  if (run.spec.task === 'classification') {
    const classes = run.spec.classes;
    const m = confusionMatrix(
      ex.map((e) => classes.indexOf(e.rating)),
      ex.map((e) => classes.indexOf(e.score)),
      classes.length,
    );
    return (
      <table aria-label="Confusion matrix">
        <caption>Confusion matrix ({run.scored.split} split): rows true rating, columns predicted</caption>
        <thead>
          <tr>
            <th />
            {classes.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.map((row, t) => (
            <tr key={t}>
              <th scope="row">{classes[t]}</th>
              {row.map((n, p) => (
                <td key={p}>{n}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  const yLabel = run.spec.task === 'binary' ? 'P(positive)' : 'predicted rating';
  return (
    <figure aria-label="Predicted against true">
      <figcaption>
        {yLabel} against the true rating ({run.scored.split} split)
      </figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <ScatterChart>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="rating"
            type="number"
            name="true rating"
            domain={[run.spec.scale.min, run.spec.scale.max]}
          />
          <YAxis dataKey="score" type="number" name={yLabel} domain={['auto', 'auto']} />
          <Tooltip />
          <Scatter data={ex.slice(0, 2000)} fill="#2f6fde" fillOpacity={0.4} isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** The held-out rows the model got most wrong; "Why?" shows which words drove a row's score. */
export function WorstErrors({
  rows,
  onExplain,
}: {
  rows: Array<ScoredExample & { error: number }>;
  onExplain: (row: TextRow) => Promise<Explanation | null>;
}) {
  const [why, setWhy] = useState<{ line: number; explanation: Explanation } | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  return (
    <>
      <ScrollRegion label="Worst errors, scrolling" kind="rows">
        <table aria-label="Worst errors">
          <caption>The examples the model got most wrong</caption>
          <thead>
            <tr>
              <th>line</th>
              <th>text</th>
              <th>true</th>
              <th>predicted</th>
              <th>why</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                <td>{r.text.slice(0, 200)}</td>
                <td>{r.rating}</td>
                <td>{r.score.toFixed(2)}</td>
                <td>
                  <button
                    type="button"
                    aria-label={`Why line ${r.line} got ${r.score.toFixed(2)}`}
                    disabled={busy !== null}
                    onClick={() => {
                      setBusy(r.line);
                      void onExplain({ text: r.text, pair: r.pair ?? null })
                        .then((e) => setWhy(e && { line: r.line, explanation: e }))
                        .finally(() => setBusy(null));
                    }}
                  >
                    {busy === r.line ? '…' : 'Why?'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {why && <Attributions explanation={why.explanation} label={`Why line ${why.line} got its score`} />}
    </>
  );
}
