import { useCallback, useEffect, useRef, useState } from 'react';
import type { ColumnRoles } from '../core/data/dataset';
import { sampleCsv } from '../core/data/sample';
import { DataSummary } from './components/DataSummary';
import { BackendBadge } from './components/BackendBadge';
import { DataPanel } from './components/DataPanel';
import { EmbedPanel } from './components/EmbedPanel';
import { ExportPanel } from './components/ExportPanel';
import { ModelPanel } from './components/ModelPanel';
import { ResultsPanel } from './components/ResultsPanel';
import { TrainPanel } from './components/TrainPanel';
import { RunsPanel } from './components/RunsPanel';
import { progressTitle } from './series';
import { ErrorBanner } from './components/ErrorBanner';
import { QuickStart } from './components/QuickStart';
import { locks, type TrainerState } from './trainerState';
import { useTrainer, type Connect } from './useTrainer';
import type { RowLimit } from '../core/data/rowLimit';
import type { TrainConfig } from '../core/train/config';
import type { SearchSettings, TableSummary, BaseKind } from '../shared/protocol';
import { AuditPanel } from './components/AuditPanel';
import { DEFAULT_FOLDS } from '../core/audit/audit';
import { useTrainConfig } from './useTrainConfig';
import { probeJobFor } from '../core/runtime/probe';
import { useIdleProbe } from './useIdleProbe';
import { scratchConfig } from '../core/model/scratch';
import { labelsChosen } from './labelChoice';

/** The scratch model's shape, its vocabulary at its largest (it is learnt from the data): what a probe times. */
const SCRATCH = (() => {
  const c = scratchConfig(8000);
  return {
    layers: c.num_hidden_layers,
    hidden: c.hidden_size,
    heads: c.num_attention_heads,
    intermediate: c.intermediate_size,
    vocabSize: c.vocab_size,
  };
})();

/**
 * The Data step's automatic parts: the sample data ready on first open (a new user can press Start at once), and
 * a profile of the rows a run would use, which follows the columns, the row limit and (for a sample) the seed.
 */
function useDataSetup(
  state: TrainerState,
  roles: ColumnRoles | null,
  config: TrainConfig,
  loadTable: (file: string, blob: Blob, ifNoneChosen: boolean) => Promise<void>,
  profile: (roles: ColumnRoles, limit: RowLimit | null, seed: number) => Promise<void>,
) {
  // Once per visit: a person who removes or replaces the sample is not given it back.
  const sampleOffered = useRef(false);
  useEffect(() => {
    if (sampleOffered.current || !state.backend || state.table || state.busy !== null) return;
    sampleOffered.current = true;
    void loadTable('sample-reviews.csv', new Blob([sampleCsv(1000)]), true);
  }, [state.backend, state.table, state.busy, loadTable]);
  // The seed picks the rows only for a random sample: another seed does not read the rows again otherwise.
  const rowLimit = config.rowLimit;
  const rowSeed = rowLimit?.pick === 'random' ? config.seed : 0;
  useEffect(() => {
    if (roles && labelsChosen(roles) && state.table) void profile(roles, rowLimit, rowSeed);
  }, [roles, state.table, state.model, profile, rowLimit, rowSeed]);
}

/** Another file or other columns: the audit's lines and ratings no longer apply, so it and its decisions go. */
function useAuditReset(
  table: TableSummary | null,
  roles: ColumnRoles | null,
  setLabelChanges: (c: null) => void,
  clearAudit: () => void,
) {
  const key = JSON.stringify([
    table?.file,
    table?.bytes,
    roles?.text,
    roles?.pair,
    roles?.label,
    roles?.labelColumns,
    roles?.labelSeparator,
  ]);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setLabelChanges(null);
    clearAudit();
  }, [key, setLabelChanges, clearAudit]);
}

/** The label audit's step: on the rows a run with these settings would use. */
function AuditStep(p: {
  trainer: ReturnType<typeof useTrainer>;
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

/** A run can start: a backend, a file with a label column, and a model unless it trains from scratch. */
function ready(state: TrainerState, roles: ColumnRoles | null, base: BaseKind): boolean {
  return (
    state.backend !== null &&
    state.table !== null &&
    labelsChosen(roles) &&
    (base === 'scratch' || state.model !== null)
  );
}

/**
 * Start with the page's settings. The probe's job (this model shape, batch and length) is timed while the page is
 * idle and ready to start (measured backends, and estimates of those too slow to time at Start), and at Start when
 * it was not yet; Start ends the idle measurement so that the run has the cores.
 */
function useStartRun(
  trainer: ReturnType<typeof useTrainer>,
  config: TrainConfig,
  roles: ColumnRoles | null,
  base: BaseKind,
  canStart: boolean,
) {
  const { state } = trainer;
  const job = probeJobFor(base === 'loaded' ? state.model : null, SCRATCH, config);
  const idleProbe = useIdleProbe(canStart && state.backendSetting === 'auto' ? job : null, state.gpu);
  const start = () => {
    if (!roles) return;
    idleProbe.stop();
    void trainer.start({ config, roles, base, job, setting: state.backendSetting, gpu: state.gpu });
  };
  const findSettings = (search: SearchSettings) => {
    if (!roles) return;
    idleProbe.stop();
    void trainer.findSettings(
      { config, roles, base, job, setting: state.backendSetting, gpu: state.gpu },
      search,
    );
  };
  return { idleProbe, start, findSettings };
}

/** The settings search's actions: find, go on with the saved one (its settings and columns into the form), discard. */
function searchActions(
  trainer: ReturnType<typeof useTrainer>,
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

/** The studio; `connect` makes its compute Worker (the studio's, or the lab's on the e2e tests' page). */
export function App({ connect }: { connect: Connect }) {
  const trainer = useTrainer(connect);
  const { state } = trainer;
  const [roles, setRoles] = useState<ColumnRoles | null>(null);
  const [base, setBase] = useState<BaseKind>('scratch');
  const { config, onConfig, setLabelChanges, syncTask, recipeNote } = useTrainConfig(base, state.model);
  const onRoles = useCallback((r: ColumnRoles) => setRoles(r), []);

  useEffect(() => {
    if (state.model) setBase('loaded');
  }, [state.model]);
  useDataSetup(state, roles, config, trainer.loadTable, trainer.profile);
  useEffect(() => syncTask(roles), [roles, syncTask]);
  useAuditReset(state.table, roles, setLabelChanges, trainer.clearAudit);
  useEffect(() => {
    document.title = progressTitle(state.progress.at(-1), state.status);
  }, [state.progress, state.status]);

  const { busy, choosingLocked } = locks(state);
  const canStart = !busy && ready(state, roles, base);
  const { idleProbe, start, findSettings } = useStartRun(trainer, config, roles, base, canStart);
  return (
    <main>
      <header>
        <h1>TabTune</h1>
        <p>Fine-tune BERT on your own ratings, in this tab. Your data never leaves it.</p>
        <BackendBadge state={state} idle={idleProbe} onSetting={trainer.setBackendSetting} locked={busy} />
      </header>
      {state.error && <ErrorBanner error={state.error} onDismiss={trainer.dismissError} />}
      {canStart && state.table && roles && (
        <QuickStart
          file={state.table.file}
          usable={state.profile?.usable ?? null}
          roles={roles}
          model={base === 'loaded' && state.model ? state.model.source : 'from scratch'}
          config={config}
          onStart={start}
        />
      )}
      {state.busy === 'loading' && <LoadingNotice onCancel={() => void trainer.cancelLoad()} />}
      <DataPanel
        table={state.table}
        busy={busy}
        choosingLocked={choosingLocked}
        roles={roles}
        onRoles={onRoles}
        onTable={(f, blob) => void trainer.loadTable(f, blob, false)}
        onError={trainer.reportError}
        reading={state.reading}
        onCancelReading={() => void trainer.cancelReading()}
        rowLimit={config.rowLimit}
        onRowLimit={(rowLimit) => onConfig({ ...config, rowLimit })}
      >
        {state.profile && <DataSummary profile={state.profile} maxLength={config.maxLength} />}
      </DataPanel>
      <AuditStep trainer={trainer} roles={roles} config={config} busy={busy} onChanges={setLabelChanges} />
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
      <TrainPanel
        state={state}
        config={config}
        onConfig={onConfig}
        recipeNote={recipeNote}
        base={base}
        onBase={setBase}
        canStart={canStart}
        onStart={start}
        onFindLr={(steps) => roles && void trainer.findLr(config, roles, base, steps)}
        onControl={(a) => void trainer.control(a)}
        onResumeSaved={(saved) => {
          onConfig(saved.config); // the form shows the settings and columns the run goes on with
          setRoles(saved.roles);
          void trainer.resumeSaved();
        }}
        onDiscardSaved={() => void trainer.discardSaved()}
        search={searchActions(trainer, findSettings, onConfig, setRoles)}
      />
      <ResultsPanel
        run={state.run}
        previous={state.previousRun}
        canScore={state.run !== null || state.model?.fineTuned != null}
        labels={state.run ? (state.run.spec.labels ?? null) : (state.model?.fineTuned?.labels ?? null)}
        onPredict={trainer.predict}
        onExplain={trainer.explain}
      />
      <ExportPanel
        run={state.run}
        progress={state.progress}
        evaluations={state.evaluations}
        onExport={trainer.exportZip}
      />
      <RunsPanel
        entries={state.history.entries}
        unreadable={state.history.unreadable}
        onDelete={(id) => void trainer.deleteRun(id)}
      />
      <details>
        <summary>Check the model: a forward pass on your text</summary>
        <EmbedPanel
          enabled={state.model !== null && !busy}
          maxPositions={state.model?.maxPositions ?? 512}
          onEmbed={trainer.embed}
        />
      </details>
    </main>
  );
}
