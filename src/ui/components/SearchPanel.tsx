import { useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DEFAULT_SEARCH } from '../../core/search/trial';
import { describeSettings } from '../../core/search/space';
import { formatDuration } from '../../core/train/progress';
import type { SavedSearchSummary, SearchSettings } from '../../shared/protocol';
import {
  bestSoFar,
  parseSpace,
  searchSeries,
  spaceFields,
  type SearchView,
  type SpaceFields,
} from '../search';
import { describeError } from '../../core/errors';
import { defaultSpace } from '../../core/search/space';
import type { TrainConfig } from '../../core/train/config';
import { isTraining, type TrainerState } from '../trainerState';
import { ScrollRegion } from './ScrollRegion';

interface Props {
  state: TrainerState;
  /** The run's settings: the default space is drawn around them. */
  config: TrainConfig;
  canStart: boolean;
  onFind: (s: SearchSettings) => void;
  onResume: () => void;
  onDiscard: () => void;
}

/**
 * "Find settings": the settings search beside Start — its time and number of trials, then, live, every trial's
 * validation AUC over its steps (the trials left behind dimmed), a table of the trials and the best so far. Pause
 * and Stop are the run's (Stop keeps the best so far); the winner then finishes as the run.
 */
export function SearchPanel({ state, config, canStart, onFind, onResume, onDiscard }: Props) {
  const [minutes, setMinutes] = useState(10);
  const [trials, setTrials] = useState(DEFAULT_SEARCH.maxTrials);
  // null: the default space around the settings above (it follows them); edited: the person's own.
  const [edited, setEdited] = useState<SpaceFields | null>(null);
  const [spaceError, setSpaceError] = useState<string | null>(null);
  const running = isTraining(state.status);
  const fields = edited ?? spaceFields(defaultSpace(config));
  const find = () => {
    try {
      onFind({ budgetMinutes: minutes, maxTrials: trials, space: edited ? parseSpace(edited) : null });
      setSpaceError(null);
    } catch (e) {
      setSpaceError(describeError(e));
    }
  };
  return (
    <div className="search" role="group" aria-label="Settings search">
      {state.savedSearch && !running && (
        <SavedSearchBanner
          saved={state.savedSearch}
          disabled={state.busy !== null}
          onResume={onResume}
          onDiscard={onDiscard}
        />
      )}
      {/* During a run only its live view: the run's controls, progress and charts keep their one screen. */}
      {!running && (
        <>
          <div className="controls">
            <button type="button" onClick={find} disabled={!canStart || running}>
              Find settings
            </button>
            <label className="inline-field">
              for{' '}
              <input
                type="number"
                aria-label="Search minutes"
                min={0.5}
                step={0.5}
                value={minutes}
                disabled={running}
                onChange={(e) => setMinutes(Math.max(0.5, Number(e.target.value) || 10))}
                style={{ width: '4.5em' }}
              />{' '}
              minutes, at most{' '}
              <input
                type="number"
                aria-label="Search trials"
                min={1}
                step={1}
                value={trials}
                disabled={running}
                onChange={(e) =>
                  setTrials(Math.max(1, Math.round(Number(e.target.value)) || DEFAULT_SEARCH.maxTrials))
                }
                style={{ width: '4em' }}
              />{' '}
              trials
            </label>
          </div>
          <SpaceForm
            fields={fields}
            lora={config.lora !== null}
            disabled={running}
            edited={edited !== null}
            onChange={setEdited}
          />
          {spaceError && (
            <p className="warning" role="alert">
              {spaceError}
            </p>
          )}
          {/* What it does, until a run has finished: then the results beside it are what the page is for. */}
          {state.run === null && (
            <p className="hint">
              Tries the recipe&apos;s settings, the learning-rate finder&apos;s rate and others around them
              (rate, batch size, warmup, weight decay, dropout) by successive halving on validation AUC: each
              trains a little, the best third go on. The test split is scored once, for the winner, which then
              finishes as the run.
            </p>
          )}
        </>
      )}
      {state.search && <SearchLive view={state.search} />}
    </div>
  );
}

// Named apart from the settings' own fields ("Batch size", "Learning rate"…), which a label search finds by substring.
const SPACE_PARTS: Array<[keyof SpaceFields, string]> = [
  ['lrFrom', 'Lowest rate to try'],
  ['lrTo', 'Highest rate to try'],
  ['batchSizes', 'Batches to try'],
  ['warmupRatios', 'Warmups to try'],
  ['weightDecays', 'Decays to try'],
  ['dropouts', 'Drop rates to try ("model": its own)'],
];

/** What the trials may vary: the default around the settings above, editable (the rate log-uniform in its range). */
function SpaceForm({
  fields,
  lora,
  disabled,
  edited,
  onChange,
}: {
  fields: SpaceFields;
  lora: boolean;
  disabled: boolean;
  edited: boolean;
  onChange: (f: SpaceFields | null) => void;
}) {
  const parts = lora
    ? [...SPACE_PARTS, ['loraRanks', 'LoRA ranks to try'] as [keyof SpaceFields, string]]
    : SPACE_PARTS;
  return (
    <details>
      <summary>Search space{edited ? ' (edited)' : ' (around the settings above)'}</summary>
      <div className="space-form">
        {parts.map(([key, label]) => (
          <label key={key} className="inline-field">
            {label}{' '}
            <input
              type="text"
              value={fields[key]}
              disabled={disabled}
              onChange={(e) => onChange({ ...fields, [key]: e.target.value })}
              style={{ width: '9em' }}
            />
          </label>
        ))}
        <button type="button" onClick={() => onChange(null)} disabled={disabled || !edited}>
          Back to the default space
        </button>
      </div>
    </details>
  );
}

function SavedSearchBanner({
  saved,
  disabled,
  onResume,
  onDiscard,
}: {
  saved: SavedSearchSummary;
  disabled: boolean;
  onResume: () => void;
  onDiscard: () => void;
}) {
  return (
    <div className="saved-run" role="region" aria-label="Saved search">
      <p>
        An interrupted settings search is saved in this browser: {saved.dataFile},{' '}
        {saved.baseModel === 'scratch' ? 'from scratch' : saved.baseModel}, {saved.trained} of {saved.trials}{' '}
        trials trained, {formatDuration(saved.elapsedSeconds)} spent. Load the same file and model to go on
        with it.
      </p>
      <button type="button" onClick={onResume} disabled={disabled}>
        Go on with the search
      </button>{' '}
      <button type="button" onClick={onDiscard} disabled={disabled}>
        Discard it
      </button>
    </div>
  );
}

const COLORS = ['#2f6fde', '#d9822b', '#2a9d8f', '#c0392b', '#8e44ad', '#7f8c8d', '#16a085', '#b7950b'];

/** The trials' validation AUC over their steps, and the table of trials with the best so far. */
function SearchLive({ view }: { view: SearchView }) {
  const data = useMemo(() => searchSeries(view), [view]);
  const best = bestSoFar(view.trials);
  const top = Math.max(-1, ...view.trials.map((t) => t.rung));
  const behind = (rung: number) => rung < top;
  return (
    <>
      <p role="status" aria-label="Best so far">
        {best
          ? `Best so far: trial ${best.index + 1} (${describeSettings(best.settings)}), validation AUC ${best.scores[top]?.toFixed(3) ?? '—'} at rung ${top + 1}.`
          : 'The first trial is training…'}
      </p>
      <figure aria-label="Search chart" data-trials={view.trials.length}>
        <figcaption>Validation AUC of each trial over its steps (trials left behind are faded)</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} />
            <YAxis domain={['auto', 'auto']} />
            <Tooltip />
            {view.trials.map((t) => (
              <Line
                key={t.index}
                dataKey={`t${t.index}`}
                name={`trial ${t.index + 1}`}
                stroke={COLORS[t.index % COLORS.length]}
                strokeOpacity={behind(t.rung) ? 0.25 : 1}
                connectNulls
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <ScrollRegion label="Search trials" kind="wide">
        <table>
          <thead>
            <tr>
              <th>trial</th>
              <th>settings</th>
              <th>best validation AUC</th>
              <th>rung reached</th>
              <th>steps</th>
              <th>time</th>
            </tr>
          </thead>
          <tbody>
            {view.trials.map((t) => (
              <tr key={t.index}>
                <td>
                  {t.index + 1}
                  {t.origin === 'recipe' ? ' (recipe)' : t.origin === 'lr-finder' ? ' (LR finder)' : ''}
                </td>
                <td>{describeSettings(t.settings)}</td>
                <td>{t.bestValAuc?.toFixed(3) ?? '—'}</td>
                <td>
                  {t.rung + 1}
                  {behind(t.rung) ? ' (left behind)' : ''}
                </td>
                <td>{t.steps}</td>
                <td>{formatDuration(t.seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
