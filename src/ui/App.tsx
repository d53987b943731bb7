import { useEffect, useRef, useState } from 'react';
import type { ColumnRoles } from '../core/data/dataset';
import { sampleCsv } from '../core/data/sample';
import { BackendBadge } from './components/BackendBadge';
import { RunsColumn, StepsColumn, WorkColumn, type StudioView } from './components/StudioColumns';
import { progressTitle } from './series';
import { ErrorBanner } from './components/ErrorBanner';
import { locks, type TrainerState } from './trainerState';
import { useTrainer, type Connect } from './useTrainer';
import type { RowLimit } from '../core/data/rowLimit';
import type { TrainConfig } from '../core/train/config';
import type { SearchSettings, TableSummary, BaseKind } from '../shared/protocol';
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

/** The studio; `connect` makes its compute Worker (the studio's, or the lab's on the e2e tests' page). */
export function App({ connect }: { connect: Connect }) {
  const trainer = useTrainer(connect);
  const { state } = trainer;
  const [roles, setRoles] = useState<ColumnRoles | null>(null);
  const [base, setBase] = useState<BaseKind>('scratch');
  const { config, onConfig, setLabelChanges, syncTask, recipeNote } = useTrainConfig(base, state.model);

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
  const view: StudioView = {
    trainer,
    config,
    onConfig,
    recipeNote,
    roles,
    setRoles,
    base,
    setBase,
    busy,
    choosingLocked,
    canStart,
    start,
    findSettings,
    setLabelChanges,
  };
  return (
    <main className="studio">
      <header>
        <h1>TabTune</h1>
        <p>Fine-tune BERT on your own ratings, in this tab. Your data never leaves it.</p>
        <BackendBadge state={state} idle={idleProbe} onSetting={trainer.setBackendSetting} locked={busy} />
      </header>
      {state.error && <ErrorBanner error={state.error} onDismiss={trainer.dismissError} />}
      <StepsColumn view={view} />
      <WorkColumn view={view} />
      <RunsColumn view={view} />
    </main>
  );
}
