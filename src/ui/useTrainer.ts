import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { BackendName } from '../core/backend';
import type { ClassicalOutcome } from '../core/baseline/classical';
import type { ColumnRoles } from '../core/data/dataset';
import type { RowLimit } from '../core/data/rowLimit';
import type { DatasetProfile } from '../core/data/profile';
import type { ErrorReport } from '../core/errors';
import type { TrainConfig } from '../core/train/config';
import type { ProgressPoint } from '../core/train/progress';
import type { SchedulePlan } from '../core/train/schedule';
import type { EvalPoint } from '../core/train/trainer';
import type { HistoryEntry } from '../core/train/history';
import type { LrFinderResult, LrPoint } from '../core/train/lrFinder';
import type {
  BackendReport,
  CallType,
  ModelSourceSpec,
  ModelSummary,
  Params,
  Reply,
  RunSummary,
  SavedRunSummary,
  TableSummary,
  WorkerEvent,
} from '../shared/protocol';
import { WorkerCallError, WorkerClient } from './workerClient';
import type { BackendDecision, ProbeJob } from '../core/runtime/probe';
import { describeDevice } from '../core/runtime/device';
import {
  decideBackend,
  loadBackendSetting,
  runOrder,
  saveBackendSetting,
  settingOrder,
  type BackendSetting,
} from './probe';

export interface DownloadState {
  file: string;
  loaded: number;
  total: number | null;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'stopping' | 'done';

export interface TrainerState {
  backend: BackendReport | null;
  /** The GPU the page found when it opened (its name keys the probe's cache); null without one. */
  gpu: string | null;
  /** Measured for each job ("auto", the default), or a backend chosen by hand (remembered). */
  backendSetting: BackendSetting;
  /** While the backends are timed for the run about to start. */
  probing: boolean;
  /** How the last run's backend was decided: its measurement, or the person's choice. */
  decision: BackendDecision | null;
  model: ModelSummary | null;
  table: TableSummary | null;
  profile: DatasetProfile | null;
  busy: 'starting' | 'loading' | 'reading' | null;
  /** A CSV file being read (chosen, or its rows read again for a run): bytes so far of its size. */
  reading: { file: string; read: number; total: number } | null;
  download: DownloadState | null;
  status: RunStatus;
  /** The running (or last) run's schedule, from the Worker. */
  plan: SchedulePlan | null;
  progress: ProgressPoint[];
  evaluations: EvalPoint[];
  /** The run's classical baseline, as soon as the Worker has fitted it (before training starts). */
  classical: ClassicalOutcome | null;
  logs: string[];
  run: RunSummary | null;
  /** The last learning-rate range test: its points as they arrive, then its suggestion. */
  lrFinder: { points: LrPoint[]; result: LrFinderResult | null } | null;
  /** A run saved in this browser that did not end (found when the page opens): it can be resumed. */
  saved: SavedRunSummary | null;
  /** The running run's last saved step, or why saving stopped. */
  lastSave: { step: number; totalSteps: number } | null;
  saveError: string | null;
  /** Finished runs kept in this browser (newest first), and stored records that could not be read. */
  history: { entries: HistoryEntry[]; unreadable: string[] };
  error: ErrorReport | null;
}

/** What a run fills in: empty before the first run, and again when a new one starts. */
const NO_RUN = {
  decision: null,
  probing: false,
  plan: null,
  progress: [],
  evaluations: [],
  classical: null,
  logs: [],
  run: null,
  lastSave: null,
  saveError: null,
} satisfies Partial<TrainerState>;

const INITIAL: TrainerState = {
  backend: null,
  gpu: null,
  backendSetting: 'auto',
  model: null,
  table: null,
  profile: null,
  busy: 'starting',
  reading: null,
  history: { entries: [], unreadable: [] },
  download: null,
  status: 'idle',
  ...NO_RUN,
  lrFinder: null,
  saved: null,
  error: null,
};

/** Whether a run holds the Worker: data, model and settings must not change under it. */
export function isTraining(status: RunStatus): boolean {
  return status === 'running' || status === 'paused' || status === 'stopping';
}

/**
 * What the page locks. While a run trains, the data, the model and the settings it uses stay as they are; while a
 * model loads or a file is read, so do the settings. Another file may be chosen while one is read (it replaces
 * it), but not while a model loads or a run trains.
 */
export function locks(state: Pick<TrainerState, 'busy' | 'status'>) {
  const training = isTraining(state.status);
  return {
    busy: state.busy !== null || training,
    choosingLocked: (state.busy !== null && state.busy !== 'reading') || training,
  };
}

type Patch = (p: Partial<TrainerState>) => void;
type Call = <K extends CallType>(
  type: K,
  params: Params<K>,
  onEvent?: (e: WorkerEvent) => void,
  replaced?: () => boolean,
) => Promise<Reply<K> | null>;

/** Owns the compute Worker: created once, initialised, terminated on unmount. Returns the typed call. */
function useWorker(patch: Patch, setState: Dispatch<SetStateAction<TrainerState>>): Call {
  const client = useRef<WorkerClient | null>(null);
  /**
   * Makes a call; a failure becomes the page's error (with its kind) and resolves to null. A call that `replaced`
   * says a later request made moot (a file read stopped because another file was chosen) fails quietly.
   */
  const call = useCallback(
    async <K extends CallType>(
      type: K,
      params: Params<K>,
      onEvent?: (e: WorkerEvent) => void,
      replaced?: () => boolean,
    ): Promise<Reply<K> | null> => {
      const c = client.current;
      if (!c) return null;
      try {
        return await c.call(type, params, onEvent);
      } catch (e) {
        if (replaced?.()) return null;
        patch({
          error:
            e instanceof WorkerCallError
              ? e.report
              : { kind: 'bug', message: `Unexpected error: ${String(e)}` },
        });
        return null;
      }
    },
    [patch],
  );
  useEffect(() => {
    const c = new WorkerClient(
      new Worker(new URL('../worker/compute.worker.ts', import.meta.url), { type: 'module' }),
    );
    client.current = c;
    // Test hooks (only with ?test-hooks in the address): what e2e tests cannot do from outside, like losing the GPU.
    if (new URLSearchParams(location.search).has('test-hooks'))
      Object.assign(window, {
        tabtuneTest: {
          loseDevice: () => c.call('loseDevice', {}),
          gpuError: () => c.call('gpuError', {}),
          useBackends: (backends: BackendName[]) =>
            c.call('init', { backends }).then((backend) => patch({ backend })),
        },
      });
    // A backend chosen by hand is taken from the start; otherwise the first that starts (each run then measures).
    void call('init', { backends: settingOrder(loadBackendSetting()) })
      // Only "starting" ends here: a file dropped meanwhile may still be being read.
      .then((backend) =>
        setState((s) => ({
          ...s,
          busy: s.busy === 'starting' ? null : s.busy,
          ...(backend ? { backend, gpu: backend.device ? describeDevice(backend.device) : null } : {}),
        })),
      )
      .then(() => call('savedRun', {}))
      .then((saved) => patch({ saved }))
      .then(() => call('history', {}))
      .then((history) => history && patch({ history }));
    return () => {
      c.terminate();
      client.current = null;
    };
  }, [patch, call]);
  return call;
}

/** A run's or a profile's `reading` events (the rows it uses, read again from the file) into the state. */
function readingInto(setState: Dispatch<SetStateAction<TrainerState>>) {
  return (e: WorkerEvent) => {
    if (e.type !== 'reading') return;
    setState((s) => ({
      ...s,
      reading: e.read < e.total ? { file: s.table?.file ?? 'the file', read: e.read, total: e.total } : null,
    }));
  };
}

/** Start, pause, resume and stop; the run's streamed events go into the state as they arrive. */
function useRun(call: Call, patch: Patch, setState: Dispatch<SetStateAction<TrainerState>>) {
  /** Runs `start` or `resumeSaved` with the run's events streamed into the state. */
  const running = useCallback(
    async (go: (onEvent: (e: WorkerEvent) => void) => Promise<RunSummary | null>) => {
      patch({ ...NO_RUN, status: 'running', error: null });
      // Ask the browser to keep the saved state under storage pressure (it may say no; saving still works).
      void navigator.storage?.persist?.().catch(() => false);
      const onEvent = (e: WorkerEvent) => {
        if (e.type === 'plan') patch({ plan: e.plan });
        if (e.type === 'classical') patch({ classical: e.outcome });
        if (e.type === 'progress') setState((s) => ({ ...s, progress: [...s.progress, e.point] }));
        if (e.type === 'evaluation') setState((s) => ({ ...s, evaluations: [...s.evaluations, e.point] }));
        if (e.type === 'log') setState((s) => ({ ...s, logs: [...s.logs, e.message] }));
        if (e.type === 'saved') patch({ lastSave: { step: e.step, totalSteps: e.totalSteps }, saved: null });
        if (e.type === 'saveFailed') patch({ saveError: e.message });
        if (e.type === 'backend') patch({ backend: e.report });
        readingInto(setState)(e);
      };
      const run = await go(onEvent);
      patch({ status: run ? 'done' : 'idle', reading: null, ...(run ? { run, saved: null } : {}) });
      const history = await call('history', {});
      if (history) patch({ history });
    },
    [patch, setState, call],
  );
  /**
   * Decides the backend (measured for this job, or the person's choice), moves the run's Worker onto it, then
   * starts the run there; the decision goes with it into the log, the record and the model card.
   */
  const start = useCallback(
    (
      config: TrainConfig,
      roles: ColumnRoles,
      base: 'loaded' | 'scratch',
      job: ProbeJob,
      setting: BackendSetting,
      gpu: string | null,
    ) =>
      running(async (onEvent) => {
        patch({ probing: true });
        const decision = await decideBackend(setting, job, gpu);
        const backend = await call('init', { backends: runOrder(decision) });
        patch({ probing: false, decision, ...(backend ? { backend } : {}) });
        if (!backend) return null;
        return call('start', { config, roles, base, backendDecision: decision }, onEvent);
      }),
    [running, call, patch],
  );
  const resumeSaved = useCallback(
    () => running((onEvent) => call('resumeSaved', {}, onEvent)),
    [running, call],
  );
  const discardSaved = useCallback(async () => {
    await call('discardSaved', {});
    patch({ saved: null });
  }, [call, patch]);

  const findLr = useCallback(
    async (config: TrainConfig, roles: ColumnRoles, base: 'loaded' | 'scratch', steps: number) => {
      patch({ status: 'running', error: null, lrFinder: { points: [], result: null } });
      const onEvent = (e: WorkerEvent) => {
        if (e.type === 'lrPoint')
          setState((s) => ({
            ...s,
            lrFinder: { points: [...(s.lrFinder?.points ?? []), e.point], result: null },
          }));
      };
      const result = await call('lrFind', { config, roles, base, steps }, onEvent);
      setState((s) => ({
        ...s,
        status: s.run ? 'done' : 'idle', // the last run's results stay
        lrFinder: result ? { points: result.points, result } : s.lrFinder,
      }));
    },
    [patch, call, setState],
  );

  const control = useCallback(
    async (action: 'pause' | 'resume' | 'stop') => {
      patch({ status: action === 'pause' ? 'paused' : action === 'resume' ? 'running' : 'stopping' });
      await call(action, {});
    },
    [patch, call],
  );

  return { start, resumeSaved, discardSaved, findLr, control };
}

/**
 * The backend setting, remembered in this browser: read once when the page opens; the setter saves it and moves
 * the Worker to the chosen backend at once (runs also measure or take it when they start).
 */
function useBackendSetting(patch: Patch, call: Call) {
  useEffect(() => patch({ backendSetting: loadBackendSetting() }), [patch]);
  return useCallback(
    async (backendSetting: BackendSetting) => {
      saveBackendSetting(backendSetting);
      patch({ backendSetting });
      const backend = await call('init', { backends: settingOrder(backendSetting) });
      if (backend) patch({ backend });
    },
    [patch, call],
  );
}

/** The studio's state and actions: components render the state and call the actions, never the Worker. */
export function useTrainer() {
  const [state, setState] = useState<TrainerState>(INITIAL);
  const patch = useCallback((p: Partial<TrainerState>) => setState((s) => ({ ...s, ...p })), []);
  const call = useWorker(patch, setState);
  const run = useRun(call, patch, setState);

  const loadModel = useCallback(
    async (source: ModelSourceSpec) => {
      patch({ busy: 'loading', error: null, download: null });
      const model = await call('load', { source }, (e) => e.type === 'download' && patch({ download: e }));
      patch({ busy: null, download: null, ...(model ? { model } : {}) });
    },
    [patch, call],
  );

  /**
   * Reads a chosen file. A file chosen while another is read replaces it: the earlier read stops, and only the
   * last choice's answer is kept. The sample opened on first visit (`ifNoneChosen`) never replaces a choice.
   */
  const tablesAsked = useRef(0);
  const loadTable = useCallback(
    async (file: string, blob: Blob, ifNoneChosen = false) => {
      if (ifNoneChosen && tablesAsked.current > 0) return;
      const mine = ++tablesAsked.current;
      const replaced = () => mine !== tablesAsked.current;
      if (mine > 1) await call('cancelTable', {});
      patch({ busy: 'reading', error: null, reading: { file, read: 0, total: blob.size } });
      const onEvent = (e: WorkerEvent) => {
        if (e.type === 'reading' && !replaced()) patch({ reading: { file, read: e.read, total: e.total } });
      };
      const table = await call('table', { file, blob }, onEvent, replaced);
      if (!replaced()) patch({ busy: null, reading: null, ...(table ? { table, profile: null } : {}) });
    },
    [patch, call],
  );
  const cancelReading = useCallback(() => call('cancelTable', {}), [call]);

  const asked = useRef(0);
  const profile = useCallback(
    async (roles: ColumnRoles, rowLimit: RowLimit | null, seed: number) => {
      const mine = ++asked.current;
      const ofTable = tablesAsked.current;
      // Only the profile of the settings asked for last is shown (an older answer may arrive after it), and none
      // of a file since replaced.
      const replaced = () => mine !== asked.current || ofTable !== tablesAsked.current;
      const p = await call('profile', { roles, rowLimit, seed }, readingInto(setState), replaced);
      if (!replaced()) setState((s) => ({ ...s, profile: p, reading: null }));
    },
    [setState, call],
  );

  const predict = useCallback((rows: Params<'predict'>['rows']) => call('predict', { rows }), [call]);
  const embed = useCallback(
    (rows: Params<'embed'>['rows'], maxLength: number) => call('embed', { rows, maxLength }),
    [call],
  );
  const exportZip = useCallback(() => call('export', {}), [call]);
  const cancelLoad = useCallback(async () => void (await call('cancelLoad', {})), [call]);
  const clearCache = useCallback(async () => (await call('clearCache', {}))?.files ?? null, [call]);
  const dismissError = useCallback(() => patch({ error: null }), [patch]);
  const deleteRun = useCallback(
    async (id: string) => {
      await call('deleteRun', { id });
      const history = await call('history', {});
      if (history) patch({ history });
    },
    [call, patch],
  );
  const setBackendSetting = useBackendSetting(patch, call);
  /** Problems found on the page itself show where the Worker's do. */
  const reportError = useCallback((message: string) => patch({ error: { kind: 'data', message } }), [patch]);

  return {
    state,
    loadModel,
    loadTable,
    profile,
    ...run,
    predict,
    embed,
    exportZip,
    clearCache,
    cancelLoad,
    cancelReading,
    deleteRun,
    dismissError,
    reportError,
    setBackendSetting,
  };
}
