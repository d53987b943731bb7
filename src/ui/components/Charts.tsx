import { useMemo } from 'react';
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
import type { ClassicalOutcome } from '../../core/baseline/classical';
import type { ProgressPoint } from '../../core/train/progress';
import type { EvalPoint } from '../../core/train/evaluate';
import { lrSeries, type SchedulePlan } from '../../core/train/schedule';
import { classicalReference, lossSeries, seriesLabels, validationSeries } from '../series';

/** Multi-label: one line per label, in these colours (dashed, under the macro AUC's solid line). */
const LABEL_COLOURS = [
  '#0b6e4f',
  '#7a4fd6',
  '#c2185b',
  '#2f6fde',
  '#8d6e00',
  '#00838f',
  '#5d4037',
  '#6b6b6b',
];

const H = 220;

export function LossChart({ progress }: { progress: ProgressPoint[] }) {
  const data = useMemo(() => lossSeries(progress), [progress]);
  return (
    <figure aria-label="Training loss chart" data-points={data.length}>
      <figcaption>Training loss per step (raw and smoothed)</figcaption>
      <ResponsiveContainer width="100%" height={H}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} />
          <YAxis domain={['auto', 'auto']} />
          <Tooltip />
          <Legend />
          <Line dataKey="loss" name="loss" stroke="#9bb4e8" dot={false} isAnimationActive={false} />
          <Line
            dataKey="smoothed"
            name="smoothed"
            stroke="#2f6fde"
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function ValidationChart({
  evaluations,
  classical,
}: {
  evaluations: EvalPoint[];
  classical: ClassicalOutcome | null;
}) {
  const data = useMemo(() => validationSeries(evaluations), [evaluations]);
  const labels = useMemo(() => seriesLabels(evaluations), [evaluations]);
  const reference = classicalReference(classical);
  return (
    <figure aria-label="Validation chart" data-points={data.length} data-classical-auc={reference?.auc}>
      <figcaption>Validation AUC and loss per evaluation</figcaption>
      <ResponsiveContainer width="100%" height={H}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} />
          <YAxis yAxisId="auc" domain={[0, 1]} />
          <YAxis yAxisId="loss" orientation="right" domain={['auto', 'auto']} />
          <Tooltip />
          <Legend />
          <Line
            yAxisId="auc"
            dataKey="auc"
            name={labels.length > 0 ? 'validation macro AUC' : 'validation AUC'}
            stroke="#1a9a5a"
            isAnimationActive={false}
          />
          {labels.map((name, k) => (
            <Line
              key={name}
              yAxisId="auc"
              dataKey={(row: { labels?: Record<string, number | null> }) => row.labels?.[name] ?? null}
              name={`AUC ${name}`}
              stroke={LABEL_COLOURS[k % LABEL_COLOURS.length]}
              strokeDasharray="4 2"
              dot={false}
              isAnimationActive={false}
            />
          ))}
          {reference && (
            <ReferenceLine
              yAxisId="auc"
              y={reference.auc}
              stroke="#6b6b6b"
              strokeDasharray="6 3"
              label={{ value: reference.label, position: 'insideBottomLeft', fill: '#4a4a4a', fontSize: 12 }}
            />
          )}
          <Line
            yAxisId="loss"
            dataKey="loss"
            name="validation loss"
            stroke="#d9822b"
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function LearningRateChart({ plan }: { plan: SchedulePlan }) {
  const data = useMemo(() => lrSeries(plan), [plan]);
  return (
    <figure aria-label="Learning-rate chart">
      <figcaption>Learning-rate schedule</figcaption>
      <ResponsiveContainer width="100%" height={160}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} />
          <YAxis tickFormatter={(v: number) => v.toExponential(0)} />
          <Tooltip />
          <Line dataKey="lr" name="learning rate" stroke="#7a4fd6" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
