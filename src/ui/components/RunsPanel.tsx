import { useEffect, useMemo, useRef, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { historyLabel, overlaySeries, type HistoryEntry } from '../../core/train/history';
import { saveFile } from '../download';
import { formatDuration } from '../../core/train/progress';
import { splitSizes } from '../../core/data/split';
import { classicalReference } from '../series';
import { ScrollRegion } from './ScrollRegion';

interface Props {
  entries: HistoryEntry[];
  unreadable: string[];
  onDelete: (id: string) => void;
}

const COLORS = ['#2f6fde', '#d9480f', '#2b8a3e', '#862e9c', '#e8590c', '#0b7285', '#5c940d', '#c2255c'];

/** The runs: every finished run kept in this browser; tick runs to overlay their validation curves; delete or export one. */
export function RunsPanel({ entries, unreadable, onDelete }: Props) {
  const [ticked, setTicked] = useState<string[]>([]);
  const known = useRef<Set<string> | null>(null);
  // On opening, the two newest runs are ticked; after that every new run is ticked as it arrives, and a deleted
  // run is unticked.
  useEffect(() => {
    const ids = entries.map((e) => e.id);
    if (known.current === null) {
      if (ids.length > 0) {
        known.current = new Set(ids);
        setTicked(ids.slice(0, 2));
      }
      return;
    }
    const seen = known.current;
    const fresh = ids.filter((id) => !seen.has(id));
    for (const id of fresh) seen.add(id);
    setTicked((t) => [...fresh, ...t.filter((id) => ids.includes(id))]);
  }, [entries]);
  const shown = entries.filter((e) => ticked.includes(e.id));
  return (
    <section aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs</h2>
      {entries.length === 0 && <p>Finished runs are kept here, in this browser, to compare them.</p>}
      {unreadable.length > 0 && (
        <ul role="alert" aria-label="Unreadable runs">
          {unreadable.map((u) => (
            <li key={u}>{u}</li>
          ))}
        </ul>
      )}
      {entries.length > 0 && (
        <ScrollRegion label="Runs table, scrolling" kind="wide">
          <table aria-label="Saved runs">
            <thead>
              <tr>
                <th>Compare</th>
                <th>Run</th>
                <th>Validation AUC</th>
                <th>Classical AUC</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <RunRow
                  key={e.id}
                  entry={e}
                  ticked={ticked.includes(e.id)}
                  onTick={(on) => setTicked((t) => (on ? [...t, e.id] : t.filter((id) => id !== e.id)))}
                  onDelete={() => onDelete(e.id)}
                />
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {shown.length > 0 && (
        <div className="charts">
          <OverlayChart entries={shown} metric="auc" title="Validation AUC" />
          <OverlayChart entries={shown} metric="loss" title="Validation loss" />
        </div>
      )}
    </section>
  );
}

function RunRow(p: {
  entry: HistoryEntry;
  ticked: boolean;
  onTick: (on: boolean) => void;
  onDelete: () => void;
}) {
  const { record } = p.entry;
  const auc = record.result.final.validation.auc;
  const classical = classicalReference(record.classical ?? null)?.auc ?? null;
  const label = historyLabel(p.entry);
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          aria-label={`Compare ${label}`}
          checked={p.ticked}
          onChange={(e) => p.onTick(e.target.checked)}
        />
      </td>
      <td>
        {label}
        <br />
        <small>
          {record.trainConfig.task}, {record.trainConfig.epochs} epochs, lr {record.trainConfig.learningRate};
          {splitSizes(record.data)}; {record.backend}, {formatDuration(p.entry.seconds)}; ended:{' '}
          {record.result.reason}
          {record.search && `; settings found by a search of ${record.search.trials} trials`}
          {record.data.labelChanges &&
            `; after a label audit: ${record.data.labelChanges.excluded} rows left out, ${record.data.labelChanges.relabelled} relabelled`}
        </small>
      </td>
      <td>{auc === null ? '—' : auc.toFixed(4)}</td>
      <td>{classical === null ? '—' : classical.toFixed(4)}</td>
      <td>
        <button
          type="button"
          onClick={() =>
            saveFile(JSON.stringify(p.entry, null, 2), `tabtune-${p.entry.id}.json`, 'application/json')
          }
        >
          Export
        </button>{' '}
        <button type="button" aria-label={`Delete ${label}`} onClick={p.onDelete}>
          Delete
        </button>
      </td>
    </tr>
  );
}

function OverlayChart({
  entries,
  metric,
  title,
}: {
  entries: HistoryEntry[];
  metric: 'auc' | 'loss';
  title: string;
}) {
  const data = useMemo(() => overlaySeries(entries, metric), [entries, metric]);
  return (
    <figure aria-label={`${title} of the ticked runs`} data-runs={entries.length}>
      <figcaption>{title} per step, ticked runs</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} />
          <YAxis domain={['auto', 'auto']} />
          <Tooltip />
          <Legend />
          {entries.map((e, i) => (
            <Line
              key={e.id}
              dataKey={e.id}
              name={historyLabel(e)}
              stroke={COLORS[i % COLORS.length]}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
