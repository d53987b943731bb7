import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { ColumnRoles } from '../core/data/dataset';
import type { RowLimit } from '../core/data/rowLimit';
import type { TrainConfig } from '../core/train/config';
import type {
  BackendReport,
  CallType,
  ModelSourceSpec,
  Params,
  Reply,
  RunSummary,
  SearchSettings,
  WorkerEvent,
  BaseKind,
} from '../shared/protocol';
import { NO_SEARCH } from './search';
import { useAudit } from './useAudit';
import { Latest, replaced } from './latest';
import { applyEvent, INITIAL, NO_RUN, type TrainerState } from './trainerState';
import { WorkerCallError, type CallOptions, type StudioClient } from '../shared/workerClient';
import type { ProbeJob } from '../core/runtime/probe';
import { describeDevice } from '../core/runtime/device';
import {
  decide,
  decidedThreads,
  loadBackendSetting,
  runOrder,
  saveBackendSetting,
  settingOrder,
  type BackendSetting,
} from './backendChoice';

type Patch = (p: Partial<TrainerState>) => void;

/** What a run (or a search) is asked to train: the settings, columns and base, and how its backend is decided. */
export interface RunAsk {
  config: TrainConfig;
  roles: ColumnRoles;
  base: BaseKind;
  /** The probe's job (model shape, batch, length): what is timed to decide the backend. */
  job: ProbeJob;
  setting: BackendSetting;
  gpu: string | null;
}
type Call = <K extends CallType>(
  type: K,
  params: Params<K>,
  options?: CallOptions,
) => Promise<Reply<K> | null>;

/**
 * Makes the page's compute Worker and its client. The studio's page makes the studio's Worker (`main.tsx`); the
 * e2e tests' page (`test.html`) makes the lab's, whose hooks may move its backend: `onBackend` is told then.
 */
export type Connect = (onBackend: (report: BackendReport) => void) => StudioClient;

/** Owns the compute Worker: created once (`connect`), initialised, terminated on unmount. Returns the typed call. */
function useWorker(connect: Connect, patch: Patch, setState: Dispatch<SetStateAction<TrainerState>>): Call {
  const client = useRef<StudioClient | null>(null);
  /**
   * Makes a call; a failure becomes the page's error (with its kind) and resolves to null. A call aborted because a
   * later request made it moot (a file read stopped because another file was chosen) fails quietly.
   */
  const call = useCallback(
    async <K extends CallType>(
      type: K,
      params: Params<K>,
      options: CallOptions = {},
    ): Promise<Reply<K> | null> => {
      const c = client.current;
      if (!c) return null; // unmounted: nothing is shown any more
      try {
        return await c.call(type, params, options);
      } catch (e) {
        if (options.signal && replaced(options.signal)) return null;
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
    const c = connect((backend) => patch({ backend }));
    client.current = c;
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
      .then(() => call('savedSearch', {}))
      .then((savedSearch) => patch({ savedSearch }))
      .then(() => call('history', {}))
      .then((history) => history && patch({ history }));
    return () => {
      c.terminate();
      client.current = null;
    };
  }, [connect, patch, call, setState]);
  return call;
}

/** A run's or a profile's events into the state (`applyEvent`). */
function eventsInto(setState: Dispatch<SetStateAction<TrainerState>>) {
  return (e: WorkerEvent) => setState((s) => applyEvent(s, e));
}

/**
 * Decides the backend (measured for this job, or the person's choice: `decide`), moves the run's Worker onto it;
 * the decision goes with the run into the log, the record and the model card. Null when that failed or Stop came
 * first.
 */
function useDecided(call: Call, patch: Patch) {
  return useCallback(
    async (job: ProbeJob, setting: BackendSetting, gpu: string | null, signal: AbortSignal) => {
      patch({ probing: true });
      const decision = await decide(job, signal, { setting, gpu }).catch(() => null); // stopped meanwhile
      if (!decision) {
        patch({ probing: false });
        return null;
      }
      const threads = decidedThreads(decision);
      const backend = await call('init', {
        backends: runOrder(decision),
        ...(threads ? { wasmThreads: threads } : {}),
      });
      patch({ probing: false, decision, ...(backend ? { backend } : {}) });
      return backend && !signal?.aborted ? decision : null; // stopped while the backends were measured
    },
    [call, patch],
  );
}

/**
 * Start, pause, resume and stop; the run's streamed events go into the state as they arrive. Stop aborts the run's
 * call (`runs`): the run ends at its next step and answers with what it trained.
 */
function useRun(call: Call, patch: Patch, setState: Dispatch<SetStateAction<TrainerState>>, runs: Latest) {
  /** Runs `start` or `resumeSaved` with the run's events streamed into the state. */
  const running = useCallback(
    async (go: (options: CallOptions & { signal: AbortSignal }) => Promise<RunSummary | null>) => {
      // The run before stays for Results' before-and-after comparison on the same test rows.
      setState((s) => ({
        ...s,
        ...NO_RUN,
        previousRun: s.run ?? s.previousRun,
        status: 'running',
        error: null,
      }));
      // Ask the browser to keep the saved state under storage pressure (it may say no; saving still works).
      void navigator.storage?.persist?.().catch(() => false);
      const run = await go({ onEvent: eventsInto(setState), signal: runs.ask() });
      patch({ status: run ? 'done' : 'idle', reading: null, ...(run ? { run, saved: null } : {}) });
      const history = await call('history', {});
      if (history) patch({ history });
    },
    [patch, setState, call, runs],
  );
  const decided = useDecided(call, patch);
  const start = useCallback(
    ({ config, roles, base, job, setting, gpu }: RunAsk) =>
      running(async (options) => {
        const decision = await decided(job, setting, gpu, options.signal);
        return decision && call('start', { config, roles, base, backendDecision: decision }, options);
      }),
    [running, call, decided],
  );
  const resumeSaved = useCallback(
    () => running((options) => call('resumeSaved', {}, options)),
    [running, call],
  );
  const discardSaved = useCallback(async () => {
    await call('discardSaved', {});
    patch({ saved: null });
  }, [call, patch]);

  const findLr = useCallback(
    async (config: TrainConfig, roles: ColumnRoles, base: BaseKind, steps: number) => {
      patch({ status: 'running', error: null, lrFinder: { points: [], result: null } });
      // Its points only: the log and the charts keep the last run's.
      const onEvent = (e: WorkerEvent) => e.type === 'lrPoint' && setState((s) => applyEvent(s, e));
      const result = await call('lrFind', { config, roles, base, steps }, { onEvent, signal: runs.ask() });
      setState((s) => ({
        ...s,
        status: s.run ? 'done' : 'idle', // the last run's results stay
        lrFinder: result ? { points: result.points, result } : s.lrFinder,
      }));
    },
    [patch, call, setState, runs],
  );

  const control = useCallback(
    async (action: 'pause' | 'resume' | 'stop') => {
      patch({ status: action === 'pause' ? 'paused' : action === 'resume' ? 'running' : 'stopping' });
      if (action === 'stop') runs.stop();
      else await call(action, {});
    },
    [patch, call, runs],
  );

  return { actions: { start, resumeSaved, discardSaved, findLr, control }, running, decided };
}

/** The settings search: like a run (Stop, Pause), with its trials streamed; its winner finishes as the run. */
function useSearch(
  call: Call,
  patch: Patch,
  { running, decided }: Pick<ReturnType<typeof useRun>, 'running' | 'decided'>,
) {
  /** The settings search on the same job; its winner finishes as the run. */
  const findSettings = useCallback(
    ({ config, roles, base, job, setting, gpu }: RunAsk, search: SearchSettings) =>
      running(async (options) => {
        const decision = await decided(job, setting, gpu, options.signal);
        if (!decision) return null;
        patch({ search: NO_SEARCH, savedSearch: null });
        return call('search', { config, roles, base, search, backendDecision: decision }, options);
      }),
    [running, call, decided, patch],
  );
  const resumeSearch = useCallback(
    () =>
      running((options) => {
        patch({ search: NO_SEARCH, savedSearch: null });
        return call('resumeSearch', {}, options);
      }),
    [running, call, patch],
  );
  const discardSearch = useCallback(async () => {
    await call('discardSearch', {});
    patch({ savedSearch: null });
  }, [call, patch]);
  return { findSettings, resumeSearch, discardSearch };
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

/**
 * The chosen file and the profile of its rows. A newer request replaces an older one (the last asked wins, the older
 * call aborted); "Stop reading" aborts what reads.
 */
function useData(call: Call, patch: Patch, setState: Dispatch<SetStateAction<TrainerState>>, runs: Latest) {
  const tables = useRef(new Latest()).current;
  const profiles = useRef(new Latest()).current;
  /**
   * Reads a chosen file. A file chosen while another is read replaces it: the earlier read stops, and only the
   * last choice's answer is kept. The sample opened on first visit (`ifNoneChosen`) never replaces a choice.
   */
  const loadTable = useCallback(
    async (file: string, blob: Blob, ifNoneChosen = false) => {
      if (ifNoneChosen && tables.count > 0) return;
      const signal = tables.ask(profiles); // a read under way stops, and so does a profile of the old file
      patch({ busy: 'reading', error: null, reading: { file, read: 0, total: blob.size } });
      const onEvent = (e: WorkerEvent) => {
        if (e.type === 'reading' && !signal.aborted)
          patch({ reading: { file, read: e.read, total: e.total } });
      };
      const table = await call('table', { file, blob }, { onEvent, signal });
      if (!replaced(signal)) patch({ busy: null, reading: null, ...(table ? { table, profile: null } : {}) });
    },
    [patch, call, tables, profiles],
  );
  /** "Stop reading": the file's read, a profile's, or a run's reading of its rows (which then does not start). */
  const cancelReading = useCallback(() => {
    tables.stop();
    profiles.stop();
    runs.stop();
  }, [tables, profiles, runs]);

  const profile = useCallback(
    async (roles: ColumnRoles, rowLimit: RowLimit | null, seed: number) => {
      // Only the profile of the settings asked for last is shown (an older answer may arrive after it), and none
      // of a file since replaced.
      const signal = profiles.ask();
      const p = await call('profile', { roles, rowLimit, seed }, { onEvent: eventsInto(setState), signal });
      if (!replaced(signal)) setState((s) => ({ ...s, profile: p, reading: null }));
    },
    [setState, call, profiles],
  );

  return { loadTable, cancelReading, profile };
}

/** The studio's state and actions: components render the state and call the actions, never the Worker. */
export function useTrainer(connect: Connect) {
  const [state, setState] = useState<TrainerState>(INITIAL);
  const patch = useCallback((p: Partial<TrainerState>) => setState((s) => ({ ...s, ...p })), []);
  const call = useWorker(connect, patch, setState);
  /** The runs and the model loads: the last asked wins, each cancelled (Stop) by aborting its signal. */
  const runs = useRef(new Latest()).current;
  const { actions: run, ...running } = useRun(call, patch, setState, runs);
  const search = useSearch(call, patch, running);
  const loads = useRef(new Latest()).current;

  const loadModel = useCallback(
    async (source: ModelSourceSpec) => {
      patch({ busy: 'loading', error: null, download: null });
      const model = await call('load', { source }, { onEvent: eventsInto(setState), signal: loads.ask() });
      patch({ busy: null, download: null, ...(model ? { model } : {}) });
    },
    [patch, call, loads],
  );

  const data = useData(call, patch, setState, runs);
  const audit = useAudit(call, setState);

  const predict = useCallback((rows: Params<'predict'>['rows']) => call('predict', { rows }), [call]);
  const explain = useCallback((row: Params<'explain'>['row']) => call('explain', { row }), [call]);
  const embed = useCallback(
    (rows: Params<'embed'>['rows'], maxLength: number) => call('embed', { rows, maxLength }),
    [call],
  );
  const exportZip = useCallback(() => call('export', {}), [call]);
  const cancelLoad = useCallback(() => loads.stop(), [loads]);
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
    ...data,
    ...run,
    ...search,
    ...audit,
    predict,
    explain,
    embed,
    exportZip,
    clearCache,
    cancelLoad,
    deleteRun,
    dismissError,
    reportError,
    setBackendSetting,
  };
}
