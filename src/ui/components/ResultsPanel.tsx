import { useMemo, type ReactNode } from 'react';
import { sliceAuc, weakSlices, type SliceReport } from '../../core/metrics/slices';
import { ScrollRegion } from './ScrollRegion';
import { beforeAndAfter, describeBeforeAndAfter } from '../../core/audit/beforeAfter';
import { describeApplied } from '../../core/audit/changes';
import { describeSearch } from '../../core/search/summary';
import { classicalComparison } from '../../core/baseline/classical';
import { worstErrors } from '../../core/metrics/analysis';
import { formatAuc } from '../../core/metrics/interval';
import { PredictedVsTrue, RocChart, WorstErrors } from './ResultCharts';
import { RowList, Warnings } from './Lists';
import { ScoringTools } from './ScoringTools';
import type { Explanation } from '../../core/explain/explanation';
import type { Prediction } from '../../core/data/labels';
import type { TextRow } from '../../core/embed';
import type { EvalMetrics } from '../../core/train/evaluate';
import type { RunSummary } from '../../shared/protocol';
import { labelResultRows, labelSplit, outcomeLine } from '../labelResults';

const f = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(4));

/** Each split's metrics before and after fine-tuning, and the classical baseline's: one list for both tables. */
function metricRows(run: RunSummary): Array<[string, EvalMetrics | null]> {
  const classical = run.classical.fitted ? run.classical.result : null;
  return [
    ['Validation, before fine-tuning', run.baseline.validation],
    ['Validation, after', run.final.validation],
    ...(classical ? [['Validation, classical baseline', classical.validation] as [string, EvalMetrics]] : []),
    ['Test, before fine-tuning', run.baseline.test],
    ['Test, after', run.final.test],
    ...(classical?.test ? [['Test, classical baseline', classical.test] as [string, EvalMetrics]] : []),
  ];
}

function MetricsTable({ run }: { run: RunSummary }) {
  const rows = metricRows(run);
  return (
    <table aria-label="Metrics">
      <thead>
        <tr>
          <th>Split</th>
          <th>n</th>
          <th>AUC (95 % interval)</th>
          <th>RMSE</th>
          <th>MAE</th>
          <th>Accuracy</th>
          <th>Loss</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, m]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{m?.n ?? '—'}</td>
            <td>{formatAuc(m)}</td>
            <td>{f(m?.rmse)}</td>
            <td>{f(m?.mae)}</td>
            <td>{f(m?.accuracy)}</td>
            <td>{f(m?.loss)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Multi-label: each label's held-out AUC with its interval, average precision, F1 at its threshold, the baseline's. */
function LabelsTable({ run }: { run: RunSummary }) {
  const rows = labelResultRows(run);
  const split = labelSplit(run) === 'test' ? 'Test' : 'Validation';
  const g = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  return (
    <ScrollRegion label="Metrics per label" kind="wide">
      <table aria-label="Metrics per label">
        <caption>
          {split} split, each label on its own; its threshold chosen on validation (the best F1), as the
          export keeps it
        </caption>
        <thead>
          <tr>
            <th>Label</th>
            <th>AUC (95 % interval)</th>
            <th>Average precision</th>
            <th>F1</th>
            <th>Threshold</th>
            <th>Classical AUC</th>
            <th>Against the baseline</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>
                {r.auc === null
                  ? '— (one class only)'
                  : `${g(r.auc)}${r.interval ? ` (${g(r.interval[0])}–${g(r.interval[1])})` : ''}`}
              </td>
              <td>{g(r.ap)}</td>
              <td>{g(r.f1)}</td>
              <td>{g(r.threshold)}</td>
              <td>{g(r.classicalAuc)}</td>
              <td>{r.verdict}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** Per-group ranking quality (a group column was chosen): how well each user's or item's rows are ordered. */
function RankingTable({ run }: { run: RunSummary }) {
  const shown = metricRows(run).filter(([, m]) => m?.ranking);
  if (shown.length === 0) return null;
  return (
    <table aria-label="Ranking metrics">
      <caption>
        Ranking within each group (NDCG with gain = rating − scale minimum; MAP with positive = rating ≥{' '}
        {run.spec.threshold}; group AUC over groups with two or more distinct ratings)
      </caption>
      <thead>
        <tr>
          <th>Split</th>
          <th>Groups</th>
          <th>NDCG@5</th>
          <th>NDCG@10</th>
          <th>MAP</th>
          <th>Group AUC</th>
        </tr>
      </thead>
      <tbody>
        {shown.map(([label, m]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{m!.ranking!.groups}</td>
            <td>{f(m!.ranking!.ndcg5)}</td>
            <td>{f(m!.ranking!.ndcg10)}</td>
            <td>{f(m!.ranking!.map)}</td>
            <td>
              {f(m!.ranking!.groupAuc)} ({m!.ranking!.aucGroups} groups)
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the classical baseline is and how the fine-tuned model compares with it. */
function ClassicalNote({ run }: { run: RunSummary }) {
  const verdict = classicalComparison(run.final, run.classical, run.comparison);
  const c = run.classical.fitted ? run.classical.result : null;
  return (
    <p aria-label="Classical baseline" data-testid="classical-verdict">
      {c && (
        <>
          Classical baseline: {c.model}, fitted on the same {c.trainRows} training rows ({c.features}{' '}
          features, {c.seconds.toFixed(1)} s).{' '}
        </>
      )}
      {verdict}
    </p>
  );
}

/** The label changes the run applied, and how it does against the run before on the same test rows. */
function LabelChangesNote({ run, previous }: { run: RunSummary; previous: RunSummary | null }) {
  const changes = run.data.labelChanges;
  const compared = previous && beforeAndAfter(previous.scored, run.scored, run.spec.threshold);
  if (!changes && !compared) return null;
  return (
    <p aria-label="Label changes" data-testid="label-changes">
      {changes && <>{describeApplied(changes)}. </>}
      {compared && describeBeforeAndAfter(compared)}
    </p>
  );
}

/** Where the model is weak: the held-out AUC of each slice, those reliably below the whole named first. */
function SlicesTable({ report }: { report: SliceReport }) {
  const weak = weakSlices(report);
  return (
    <>
      <p aria-label="Weak slices">
        {weak.length === 0
          ? `No value of ${report.column} is reliably below the whole (no 95 % interval lies wholly under ${formatAuc({ auc: report.overall })}).`
          : `Reliably below the whole: ${weak.join('; ')}.`}
      </p>
      <ScrollRegion label={`AUC by ${report.column}`} kind="wide">
        <table aria-label={`AUC by ${report.column}`}>
          <thead>
            <tr>
              <th>
                {report.column}
                {report.binned ? ' (bands)' : ''}
              </th>
              <th>n</th>
              <th>{report.split === 'test' ? 'Test' : 'Validation'} AUC (95 % interval)</th>
              <th>Reliably below</th>
            </tr>
          </thead>
          <tbody>
            {report.slices.slice(0, 30).map((x) => (
              <tr key={x.value}>
                <th scope="row">{x.value}</th>
                <td>{x.n}</td>
                <td>{x.auc === null ? '— (one class only)' : formatAuc(sliceAuc(x))}</td>
                <td>{x.below ? 'yes' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

interface Props {
  run: RunSummary | null;
  /** The run before this one, for the before-and-after comparison on the same test rows. */
  previous: RunSummary | null;
  canScore: boolean;
  /** Multi-label: the labels of the model that scores (the run's, or a loaded export's). */
  labels: string[] | null;
  onPredict: (rows: TextRow[]) => Promise<Prediction[] | null>;
  onExplain: (row: TextRow) => Promise<Explanation | null>;
  /** The download, right under the verdict and the main metrics. */
  download: ReactNode;
}

/** Step 4: what fine-tuning gained, where the model errs, and the model scoring and ranking text. */
export function ResultsPanel({ run, previous, canScore, labels, onPredict, onExplain, download }: Props) {
  const worst = useMemo(() => (run ? worstErrors(run.spec, run.scored.examples, 10) : []), [run]);
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading">Results</h2>
      {run ? (
        <>
          <p role="status" aria-label="Run outcome">
            {outcomeLine(run)}
          </p>
          <ClassicalNote run={run} />
          <MetricsTable run={run} />
          {run.spec.task === 'multi-label' && <LabelsTable run={run} />}
          {download}
          <Warnings label="Run warnings" items={run.notes} />
          <LabelChangesNote run={run} previous={previous} />
          {run.search && (
            <ul aria-label="Settings search">
              {describeSearch(run.search).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          <RankingTable run={run} />
          {run.slices && <SlicesTable report={run.slices} />}
          {run.spec.task !== 'multi-label' && (
            <>
              <div className="charts">
                <RocChart run={run} />
                <PredictedVsTrue run={run} />
              </div>
              <WorstErrors rows={worst} onExplain={onExplain} />
            </>
          )}
          <RowList
            rows={run.data.badRows}
            summary={`${run.data.badRows.length} unusable row(s)`}
            label="Unusable rows"
          />
        </>
      ) : (
        <>
          <p>Train a model to see its metrics next to the before-fine-tuning baseline.</p>
          {download}
        </>
      )}
      <ScoringTools enabled={canScore} labels={labels} onPredict={onPredict} onExplain={onExplain} />
    </section>
  );
}
