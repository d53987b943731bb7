import { useEffect, useRef, useState } from 'react';
import { LR_FINDER } from '../../core/train/lrFinder';
import { formatDuration, type ProgressPoint } from '../../core/train/progress';
import type { TrainConfig } from '../../core/train/config';
import { planSchedule } from '../../core/train/schedule';
import type { SavedRunSummary, SearchSettings, BaseKind } from '../../shared/protocol';
import { isTraining, type TrainerState } from '../trainerState';
import { LearningRateChart, LossChart, ValidationChart } from './Charts';
import { LrFinderView } from './LrFinderView';
import { SavedRunBanner } from './SavedRunBanner';
import { SearchPanel } from './SearchPanel';
import { TrainSettings } from './TrainSettings';

interface Props {
  state: TrainerState;
  config: TrainConfig;
  onConfig: (c: TrainConfig) => void;
  /** Why the learning rate and epochs are what they are (the model's recipe). */
  recipeNote: string;
  base: BaseKind;
  onBase: (b: BaseKind) => void;
  canStart: boolean;
  onStart: () => void;
  /** The learning-rate range test on the same data and model. */
  onFindLr: (steps: number) => void;
  onControl: (a: 'pause' | 'resume' | 'stop') => void;
  /** Go on with, or throw away, the run saved in this browser. */
  onResumeSaved: (saved: SavedRunSummary) => void;
  onDiscardSaved: () => void;
  /** The settings search: find, go on with a saved one, or discard it. */
  search: { onFind: (s: SearchSettings) => void; onResume: () => void; onDiscard: () => void };
}

/** Step 3's body: what the run starts from and its settings (locked while a run holds them). */
export function SettingsStep({
  state,
  config,
  onConfig,
  recipeNote,
  base,
  onBase,
}: Pick<Props, 'state' | 'config' | 'onConfig' | 'recipeNote' | 'base' | 'onBase'>) {
  const running = isTraining(state.status);
  return (
    <>
      <fieldset disabled={running}>
        <legend>Start from</legend>
        <label className="inline">
          <input
            type="radio"
            name="base"
            checked={base === 'loaded'}
            onChange={() => onBase('loaded')}
            disabled={!state.model}
          />{' '}
          the loaded model
          {state.model ? ` (${state.model.source})` : ' (load one above)'}
        </label>
        <label className="inline">
          <input type="radio" name="base" checked={base === 'scratch'} onChange={() => onBase('scratch')} />{' '}
          from scratch (offline: a small BERT with a vocabulary learned from your texts; needs more data)
        </label>
      </fieldset>
      <p className="hint" data-testid="recipe-note">
        {recipeNote}
      </p>
      <TrainSettings config={config} onChange={onConfig} disabled={running} />
    </>
  );
}

/** The run: Start/Pause/Resume/Stop, the settings search, the LR finder, progress, the live plots and the log. */
export function TrainPanel({
  state,
  config,
  onConfig,
  canStart,
  onStart,
  onFindLr,
  onControl,
  onResumeSaved,
  onDiscardSaved,
  search,
}: Omit<Props, 'recipeNote' | 'base' | 'onBase'>) {
  const last = state.progress.at(-1);
  const running = isTraining(state.status);
  // Before a run, the plan for the rows that would train (an estimate: unusable rows are not known yet);
  // during and after it, the run's own plan from the Worker.
  const estimateRows = state.table
    ? Math.round(state.table.rows * (1 - config.validationFraction - config.testFraction))
    : 0;
  const plan = state.plan ?? planSchedule(estimateRows, config);
  const runView = useRunInView(running);
  return (
    <section aria-labelledby="train-heading">
      <h2 id="train-heading">Training</h2>
      {state.saved && !running && (
        <SavedRunBanner
          saved={state.saved}
          loadedFile={state.table?.file ?? null}
          loadedModel={state.model?.source ?? null}
          disabled={state.busy !== null}
          onResume={() => onResumeSaved(state.saved!)}
          onDiscard={onDiscardSaved}
        />
      )}
      <div className="run-view" ref={runView}>
        <Controls
          status={state.status}
          canStart={canStart}
          onStart={onStart}
          onFindLr={onFindLr}
          onControl={onControl}
        />
        <SearchPanel
          state={state}
          config={config}
          canStart={canStart}
          onFind={search.onFind}
          onResume={search.onResume}
          onDiscard={search.onDiscard}
        />
        {state.lrFinder && (
          <LrFinderView
            finder={state.lrFinder}
            running={running}
            onUse={(lr) => onConfig({ ...config, learningRate: lr })}
          />
        )}
        {running && !last && !state.lrFinder?.points.length && (
          <p role="status">
            Preparing: fitting the classical baseline, tokenizing the data and scoring the untrained model…
          </p>
        )}
        {last && <RunProgress state={state} last={last} />}
        <div className="charts live">
          <LossChart progress={state.progress} />
          <ValidationChart evaluations={state.evaluations} classical={state.classical} />
          <LearningRateChart plan={plan} />
        </div>
      </div>
      {state.logs.length > 0 && (
        <details>
          <summary>Log ({state.logs.length})</summary>
          <ul aria-label="Training log">
            {state.logs.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/**
 * When a run starts (or resumes), its controls, progress and live charts come into view at the top of the window:
 * the settings fold as it starts, and a page that got shorter would otherwise leave the window on the empty panels
 * below. Only at the start: a person who scrolls away while it trains stays where they went.
 */
function useRunInView(running: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  const was = useRef(running);
  useEffect(() => {
    if (running && !was.current) ref.current?.scrollIntoView({ block: 'start' });
    was.current = running;
  }, [running]);
  return ref;
}

/** Start, the learning-rate finder (over how many batches), Pause, Resume and Stop. */
function Controls({
  status,
  canStart,
  onStart,
  onFindLr,
  onControl,
}: Pick<Props, 'canStart' | 'onStart' | 'onFindLr' | 'onControl'> & { status: TrainerState['status'] }) {
  const [lrSteps, setLrSteps] = useState(LR_FINDER.steps);
  const running = isTraining(status);
  return (
    <div className="controls">
      <button type="button" onClick={onStart} disabled={!canStart || running}>
        Start training
      </button>
      <button type="button" onClick={() => onFindLr(lrSteps)} disabled={!canStart || running}>
        Find learning rate
      </button>
      <label className="inline-field">
        over{' '}
        <input
          type="number"
          aria-label="Finder steps"
          min={5}
          step={5}
          value={lrSteps}
          disabled={running}
          onChange={(e) => setLrSteps(Math.max(5, Math.round(Number(e.target.value)) || LR_FINDER.steps))}
          style={{ width: '4.5em' }}
        />{' '}
        batches
      </label>
      <button type="button" onClick={() => onControl('pause')} disabled={status !== 'running'}>
        Pause
      </button>
      <button type="button" onClick={() => onControl('resume')} disabled={status !== 'paused'}>
        Resume
      </button>
      <button type="button" onClick={() => onControl('stop')} disabled={!running || status === 'stopping'}>
        Stop
      </button>
    </div>
  );
}

/** The progress bar, the status line, and where the run's state was last saved (or why it was not). */
function RunProgress({ state, last }: { state: TrainerState; last: ProgressPoint }) {
  return (
    <div>
      <label>
        Training progress <progress aria-label="Training progress" max={last.totalSteps} value={last.step} />
      </label>
      <p role="status" aria-label="Training status">
        Step {last.step} of {last.totalSteps} · epoch {last.epoch.toFixed(2)} · loss {last.loss.toFixed(4)} ·{' '}
        {last.examplesPerSecond.toFixed(1)} examples/s · {formatDuration(last.etaSeconds)} left
        {state.status === 'paused' && ' · paused'}
      </p>
      {state.lastSave && !state.saveError && (
        <p className="hint" aria-label="Saved state">
          Saved in this browser at step {state.lastSave.step} of {state.lastSave.totalSteps}: a reload or a
          crash can resume from there.
        </p>
      )}
      {state.saveError && (
        <p className="warning" role="alert">
          {state.saveError}
        </p>
      )}
    </div>
  );
}
