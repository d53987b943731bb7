import { useState } from 'react';
import { DEFAULT_FOLDS } from '../../core/audit/audit';
import type { LabelChanges } from '../../core/audit/changes';
import { modelJoinsAudit } from '../../core/audit/joined';
import type { AuditReport, AuditRowView } from '../../core/audit/report';
import type { RunSummary } from '../../shared/protocol';
import type { TrainerState } from '../trainerState';
import {
  countAbove,
  decisionOf,
  describeChanges,
  excludeAbove,
  relabelChoices,
  withDecision,
  type Decision,
} from '../audit';
import { saveFile } from '../download';
import { ScrollRegion } from './ScrollRegion';
import { Attributions } from './Attributions';
import type { Explanation } from '../../core/explain/explanation';
import type { TextRow } from '../../core/embed';

interface Props {
  audit: TrainerState['audit'];
  /** The last run: its held-out predictions can join the audit when it beat the baseline. */
  run: RunSummary | null;
  canAudit: boolean;
  /** Why the audit cannot run on these labels (several labels at once: it checks a rating), or null. */
  unavailable?: string | null;
  changes: LabelChanges | null;
  onChanges: (c: LabelChanges | null) => void;
  onAudit: (model: { line: number; score: number }[] | null) => void;
  onStop: () => void;
  /** Integrated gradients of the fine-tuned model for a row's text, when a model can score; null otherwise. */
  onExplain: ((row: TextRow) => Promise<Explanation | null>) | null;
}

const PAGE = 20;

/**
 * "Check the labels": the rows whose rating their text contradicts, most suspicious first, each kept, relabelled or
 * excluded for the next run (the file is never changed), and the flagged rows as CSV.
 */
export function AuditPanel(props: Props) {
  const { audit, run, canAudit, unavailable = null, changes, onChanges, onAudit, onStop, onExplain } = props;
  const report = audit.report;
  const joins = run !== null && modelJoinsAudit(run.spec, run.comparison);
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Check the labels</h2>
      <p className="hint">
        Finds ratings their text contradicts (a mis-clicked star): every row is predicted by a model that
        never saw it ({DEFAULT_FOLDS}-fold cross-fitted TF-IDF + a linear model), in seconds. Your file is
        never changed: what you exclude or relabel applies to the next run's training and validation rows.
      </p>
      <p>
        <button type="button" disabled={!canAudit || audit.running} onClick={() => onAudit(null)}>
          Check the labels
        </button>{' '}
        {joins && (
          <button
            type="button"
            disabled={!canAudit || audit.running}
            onClick={() => onAudit(run.scored.examples.map((e) => ({ line: e.line, score: e.score })))}
          >
            Check again with the fine-tuned model
          </button>
        )}
        {unavailable && <span className="hint"> {unavailable}</span>}
      </p>
      {audit.running && (
        <p role="status">
          Checking the labels
          {audit.folds ? `: fold ${audit.folds.done} of ${audit.folds.total} predicted` : '…'}{' '}
          <button type="button" onClick={onStop}>
            Stop the check
          </button>
        </p>
      )}
      {changes && (
        <p role="status" className="changes">
          {describeChanges(changes)}{' '}
          <button type="button" onClick={() => onChanges(null)}>
            Clear the label changes
          </button>
        </p>
      )}
      {report && (
        <AuditResults report={report} changes={changes} onChanges={onChanges} onExplain={onExplain} />
      )}
    </section>
  );
}

interface ResultsProps {
  report: AuditReport;
  changes: LabelChanges | null;
  onChanges: (c: LabelChanges | null) => void;
  onExplain: Props['onExplain'];
}

function AuditResults({ report, changes, onChanges, onExplain }: ResultsProps) {
  const [cut, setCut] = useState(0.95);
  const [shown, setShown] = useState(PAGE);
  const [why, setWhy] = useState<{ line: number; explanation: Explanation } | null>(null);
  const above = countAbove(report, cut);
  const explain =
    onExplain &&
    ((row: AuditRowView) =>
      void onExplain({ text: row.text, pair: row.pair }).then((e) =>
        setWhy(e && { line: row.line, explanation: e }),
      ));
  return (
    <>
      <p aria-label="Audit summary">{report.summary}</p>
      <p>
        <label>
          Exclude every row at or above suspicion{' '}
          <input
            type="number"
            min={0}
            max={1}
            step={0.01}
            value={cut}
            onChange={(e) => setCut(Number(e.target.value))}
          />
        </label>{' '}
        <button
          type="button"
          disabled={above === 0}
          onClick={() => onChanges(excludeAbove(changes, report, cut))}
        >
          Exclude {above} row{above === 1 ? '' : 's'}
        </button>{' '}
        <button type="button" onClick={() => saveFile(report.csv, 'flagged-rows.csv', 'text/csv')}>
          Download flagged rows
        </button>
      </p>
      <ScrollRegion label="Most suspicious rows" kind="wide">
        <table aria-label="Most suspicious rows" className="audit">
          <thead>
            <tr>
              <th>Line</th>
              <th>Text</th>
              <th>Given</th>
              <th>Suggested</th>
              <th>Suspicion</th>
              <th>Words behind the prediction</th>
              <th>Next run</th>
              {explain && <th>The fine-tuned model's words</th>}
            </tr>
          </thead>
          <tbody>
            {report.top.slice(0, shown).map((row) => (
              <AuditRow
                key={row.line}
                row={row}
                report={report}
                changes={changes}
                onChanges={onChanges}
                onWhy={explain}
              />
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {why && (
        <Attributions
          explanation={why.explanation}
          label={`Why the model scores line ${why.line} as it does`}
        />
      )}
      {shown < report.top.length && (
        <button type="button" onClick={() => setShown(shown + PAGE)}>
          Show {Math.min(PAGE, report.top.length - shown)} more
        </button>
      )}
    </>
  );
}

interface RowProps {
  row: AuditRowView;
  report: AuditReport;
  changes: LabelChanges | null;
  onChanges: (c: LabelChanges | null) => void;
  onWhy: ((row: AuditRowView) => void) | null;
}

function AuditRow({ row, report, changes, onChanges, onWhy }: RowProps) {
  const decision = decisionOf(changes, row.line);
  const value = typeof decision === 'string' ? decision : `relabel:${decision.relabel}`;
  const choose = (v: string) => {
    const d: Decision = v === 'keep' || v === 'exclude' ? v : { relabel: Number(v.slice('relabel:'.length)) };
    onChanges(withDecision(changes, row, d));
  };
  return (
    <tr>
      <td>{row.line}</td>
      <td className="audit-text">{row.pair === null ? row.text : `${row.text} — ${row.pair}`}</td>
      <td>{row.given}</td>
      <td>{row.suggested}</td>
      <td>{row.suspicion.toFixed(3)}</td>
      <td>{row.words.join(', ')}</td>
      <td>
        <select
          aria-label={`Line ${row.line}, next run`}
          value={value}
          onChange={(e) => choose(e.target.value)}
        >
          <option value="keep">Keep</option>
          <option value="exclude">Exclude</option>
          {relabelChoices(report.spec, row.given, row.suggested).map((r) => (
            <option key={r} value={`relabel:${r}`}>
              Relabel to {r}
              {r === row.suggested ? ' (suggested)' : ''}
            </option>
          ))}
        </select>
      </td>
      {onWhy && (
        <td>
          <button
            type="button"
            aria-label={`Why line ${row.line}, by the fine-tuned model`}
            onClick={() => onWhy(row)}
          >
            Why?
          </button>
        </td>
      )}
    </tr>
  );
}
