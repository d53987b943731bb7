import type { ReactElement } from 'react';
import type { ColumnRoles } from '../../core/data/dataset';
import { DEFAULT_FOLDS } from '../../core/audit/audit';
import type { TrainConfig } from '../../core/train/config';
import type { BaseKind, SearchSettings } from '../../shared/protocol';
import { labelsChosen } from '../labelChoice';
import { dataLine, modelLine, runModel, settingsLine } from '../stepSummaries';
import { afterRun, isTraining, stepsFold } from '../trainerState';
import type { useTrainer } from '../useTrainer';
import { AuditPanel } from './AuditPanel';
import { DataPanel } from './DataPanel';
import { DataSummary } from './DataSummary';
import { EmbedPanel } from './EmbedPanel';
import { ExportPanel } from './ExportPanel';
import { ModelPanel } from './ModelPanel';
import { QuickStart } from './QuickStart';
import { ResultsPanel } from './ResultsPanel';
import { RunsPanel } from './RunsPanel';
import { Step } from './Step';
import { SettingsStep, TrainPanel } from './TrainPanel';

/*
 * The studio's two columns: the steps a person sets up (data, labels, model, settings), with the runs before under
 * them, beside the work they watch (the run, its results and the download). On a narrow window the work follows the
 * steps, and the runs come last.
 */

/** What both columns render from: the trainer, the settings and columns chosen, and what may happen now. */
export interface StudioView {
  trainer: ReturnType<typeof useTrainer>;
  config: TrainConfig;
  onConfig: (c: TrainConfig) => void;
  recipeNote: string;
  roles: ColumnRoles | null;
  setRoles: (r: ColumnRoles) => void;
  base: BaseKind;
  setBase: (b: BaseKind) => void;
  busy: boolean;
  choosingLocked: boolean;
  canStart: boolean;
  start: () => void;
  findSettings: (s: SearchSettings) => void;
  setLabelChanges: (c: TrainConfig['labelChanges']) => void;
}

/** The label audit's step: on the rows a run with these settings would use. */
function AuditStep(p: {
  trainer: StudioView['trainer'];
  roles: ColumnRoles | null;
  config: TrainConfig;
  busy: boolean;
  onChanges: (c: TrainConfig['labelChanges']) => void;
}) {
  const { state } = p.trainer;
  const roles = p.roles;
  return (
    <AuditPanel
      audit={state.audit}
      run={state.run}
      canAudit={!p.busy && state.table !== null && labelsChosen(roles) && p.config.task !== 'multi-label'}
      unavailable={
        p.config.task === 'multi-label'
          ? 'The check reads one rating per row; with several labels at once it is not available yet.'
          : null
      }
      changes={p.config.labelChanges}
      onChanges={p.onChanges}
      onAudit={(model) => roles && void p.trainer.auditLabels(roles, p.config, DEFAULT_FOLDS, model)}
      onStop={p.trainer.stopAudit}
      onExplain={state.run !== null || state.model?.fineTuned != null ? p.trainer.explain : null}
    />
  );
}

/** The settings search's actions: find, go on with the saved one (its settings and columns into the form), discard. */
function searchActions(
  trainer: StudioView['trainer'],
  findSettings: (s: SearchSettings) => void,
  onConfig: (c: TrainConfig) => void,
  setRoles: (r: ColumnRoles) => void,
) {
  const saved = trainer.state.savedSearch;
  return {
    onFind: findSettings,
    onResume: () => {
      if (saved) {
        onConfig(saved.config);
        setRoles(saved.roles);
      }
      void trainer.resumeSearch();
    },
    onDiscard: () => void trainer.discardSearch(),
  };
}

/** Said while a model loads, with the way to stop its download. */
function LoadingNotice({ onCancel }: { onCancel: () => void }) {
  return (
    <p role="status">
      Loading the model…{' '}
      <button type="button" onClick={onCancel}>
        Cancel download
      </button>
    </p>
  );
}

/**
 * The steps: the data (and its label audit), the model, and the run's settings. While a run holds them and after
 * it, each finished step folds to a line of what was given, "Edit" to open it; what the data step only shows (its
 * preview, the histograms) stays folded after a run when it is opened again.
 */
export function StepsColumn({ view }: { view: StudioView }) {
  const { trainer, config, onConfig, roles, busy } = view;
  const { state } = trainer;
  const fold = stepsFold(state);
  const locked = isTraining(state.status);
  const after = afterRun(state);
  return (
    <div className="steps">
      <Step
        id="data"
        title="1. Data"
        name="the data"
        summary={
          state.table && roles ? dataLine(state.table.file, state.profile?.usable ?? null, roles) : null
        }
        fold={fold}
        locked={locked}
      >
        <DataPanel
          table={state.table}
          busy={busy}
          choosingLocked={view.choosingLocked}
          roles={roles}
          onRoles={view.setRoles}
          onTable={(f, blob) => void trainer.loadTable(f, blob, false)}
          onError={trainer.reportError}
          reading={state.reading}
          onCancelReading={() => void trainer.cancelReading()}
          rowLimit={config.rowLimit}
          onRowLimit={(rowLimit) => onConfig({ ...config, rowLimit })}
          folded={after}
        >
          {state.profile && (
            <DataSummary profile={state.profile} maxLength={config.maxLength} folded={after} />
          )}
        </DataPanel>
      </Step>
      <AuditStep
        trainer={trainer}
        roles={roles}
        config={config}
        busy={busy}
        onChanges={view.setLabelChanges}
      />
      <Step
        id="model"
        title="2. Model"
        name="the model"
        summary={modelLine(state.model)}
        fold={fold}
        locked={locked}
      >
        <ModelPanel
          fineTune={{ lora: config.lora, headOnly: config.freeze.headOnly }}
          batchSize={config.batchSize}
          maxLength={config.maxLength}
          onClearCache={trainer.clearCache}
          model={state.model}
          download={state.download}
          busy={busy}
          onLoad={(s) => void trainer.loadModel(s)}
        />
      </Step>
      <Step
        id="settings"
        title="3. Settings"
        name="the settings"
        summary={`${runModel(view.base, state.model)}; ${settingsLine(config)}`}
        fold={fold}
        locked={locked}
      >
        <SettingsStep
          state={state}
          config={config}
          onConfig={onConfig}
          recipeNote={view.recipeNote}
          base={view.base}
          onBase={view.setBase}
        />
      </Step>
      <details>
        <summary>Check the model: a forward pass on your text</summary>
        <EmbedPanel
          enabled={state.model !== null && !busy}
          maxPositions={state.model?.maxPositions ?? 512}
          onEmbed={trainer.embed}
        />
      </details>
    </div>
  );
}

/** `train` then `results`, or the other way round: keyed, so neither is made again when they swap. */
function ordered(resultsFirst: boolean, train: ReactElement, results: ReactElement): ReactElement[] {
  return resultsFirst ? [results, train] : [train, results];
}

/** The work: ready to start, the run as it trains, then its results with the download first. */
export function WorkColumn({ view }: { view: StudioView }) {
  const { trainer, config, onConfig, roles, base } = view;
  const { state } = trainer;
  const resultsFirst = afterRun(state);
  return (
    <div className="work">
      {view.canStart && state.table && roles && !state.run && (
        <QuickStart
          file={state.table.file}
          usable={state.profile?.usable ?? null}
          roles={roles}
          model={runModel(base, state.model)}
          config={config}
          onStart={view.start}
        />
      )}
      {state.busy === 'loading' && <LoadingNotice onCancel={() => void trainer.cancelLoad()} />}
      {/* After a run its results come first (the verdict, the metrics, the download), the run's charts below. */}
      {ordered(
        resultsFirst,
        <TrainPanel
          key="train"
          state={state}
          config={config}
          onConfig={onConfig}
          canStart={view.canStart}
          onStart={view.start}
          onFindLr={(steps) => roles && void trainer.findLr(config, roles, base, steps)}
          onControl={(a) => void trainer.control(a)}
          onResumeSaved={(saved) => {
            onConfig(saved.config); // the form shows the settings and columns the run goes on with
            view.setRoles(saved.roles);
            void trainer.resumeSaved();
          }}
          onDiscardSaved={() => void trainer.discardSaved()}
          search={searchActions(trainer, view.findSettings, onConfig, view.setRoles)}
        />,
        <ResultsPanel
          key="results"
          run={state.run}
          previous={state.previousRun}
          canScore={state.run !== null || state.model?.fineTuned != null}
          labels={state.run ? (state.run.spec.labels ?? null) : (state.model?.fineTuned?.labels ?? null)}
          onPredict={trainer.predict}
          onExplain={trainer.explain}
          download={
            <ExportPanel
              run={state.run}
              progress={state.progress}
              evaluations={state.evaluations}
              onExport={trainer.exportZip}
            />
          }
        />,
      )}
    </div>
  );
}

/** The runs before, kept in this browser: under the steps on a wide window (the work is the run), last on a narrow one. */
export function RunsColumn({ view }: { view: StudioView }) {
  const { trainer } = view;
  return (
    <div className="runs">
      <RunsPanel
        entries={trainer.state.history.entries}
        unreadable={trainer.state.history.unreadable}
        onDelete={(id) => void trainer.deleteRun(id)}
      />
    </div>
  );
}
