import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { LrFinderResult, LrPoint } from '../../core/train/lrFinder';

interface Props {
  finder: { points: LrPoint[]; result: LrFinderResult | null };
  running: boolean;
  onUse: (lr: number) => void;
}

const exp = (v: number) => v.toExponential(0);

/** The learning-rate range test: loss against rate (log scale) as it runs, then the suggestion to take or leave. */
export function LrFinderView({ finder, running, onUse }: Props) {
  const { points, result } = finder;
  const suggestion = result?.suggestion ?? null;
  return (
    <figure aria-label="Learning-rate finder" data-points={points.length} data-suggestion={suggestion ?? ''}>
      <figcaption>
        Learning-rate finder: training loss as the rate grows (the weights are put back afterwards)
      </figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={points}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="lr" type="number" scale="log" domain={['dataMin', 'dataMax']} tickFormatter={exp} />
          <YAxis domain={['auto', 'auto']} />
          <Tooltip labelFormatter={(v) => `lr ${Number(v).toExponential(2)}`} />
          <Legend />
          <Line dataKey="loss" name="loss" stroke="#c9b3f0" dot={false} isAnimationActive={false} />
          <Line
            dataKey="smoothed"
            name="smoothed"
            stroke="#7a4fd6"
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
          />
          {suggestion !== null && (
            <ReferenceLine
              x={suggestion}
              stroke="#1a9a5a"
              strokeDasharray="6 3"
              label={{
                value: `suggested ${suggestion.toExponential(1)}`,
                position: 'insideTopLeft',
                fontSize: 12,
              }}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
      {running && !result && <p role="status">Finding a learning rate: step {points.length}…</p>}
      {result && (
        <p role="status" aria-label="Learning-rate suggestion">
          {result.reason}{' '}
          {suggestion !== null && (
            <button type="button" onClick={() => onUse(suggestion)} disabled={running}>
              Use {suggestion.toExponential(1)}
            </button>
          )}
        </p>
      )}
    </figure>
  );
}
