import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { BackendName } from '../core/backend';
import type { ColumnRoles } from '../core/data/dataset';
import type { RowLimit } from '../core/data/rowLimit';
import type { TrainConfig } from '../core/train/config';
import type { CallType, ModelSourceSpec, Params, Reply, RunSummary, WorkerEvent } from '../shared/protocol';
import { Latest } from './latest';
import { applyEvent, INITIAL, NO_RUN, type TrainerState } from './trainerState';
import { WorkerCallError, WorkerClient } from './workerClient';
import type { ProbeJob } from '../core/runtime/probe';
import { describeDevice } from '../core/runtime/device';
import {
  decideBackend,
  loadBackendSetting,
  runOrder,
  saveBackendSetting,
  settingOrder,
  type BackendSetting,
} from './probe';

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
    const hooks = new URLSearchParams(location.search).has('test-hooks');
    if (hooks)
      Object.assign(window, {
        tabtuneTest: {
          loseDevice: () => c.call('loseDevice', {}),
          gpuError: () => c.call('gpuError', {}),
          useBackends: (backends: BackendName[]) =>
            c.call('init', { backends }).then((backend) => patch({ backend })),
        },
      });
    // A backend chosen by hand is taken from the start; otherwise the first that starts (each run then measures).
    void call('init', { backends: settingOrder(loadBackendSetting()), testHooks: hooks })
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
  }, [patch, call, setState]);
  return call;
}

/** A run's or a profile's events into the state (`applyEvent`). */
function eventsInto(setState: Dispatch<SetStateAction<TrainerState>>) {
  return (e: WorkerEvent) => setState((s) => applyEvent(s, e));
}

/** Start, pause, resume and stop; the run's streamed events go into the state as they arrive. */
function useRun(call: Call, patch: Patch, setState: Dispatch<SetStateAction<TrainerState>>) {
  /** Runs `start` or `resumeSaved` with the run's events streamed into the state. */
  const running = useCallback(
    async (go: (onEvent: (e: WorkerEvent) => void) => Promise<RunSummary | null>) => {
      patch({ ...NO_RUN, status: 'running', error: null });
      // Ask the browser to keep the saved state under storage pressure (it may say no; saving still works).
      void navigator.storage?.persist?.().catch(() => false);
      const run = await go(eventsInto(setState));
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
      // Its points only: the log and the charts keep the last run's.
      const onEvent = (e: WorkerEvent) => e.type === 'lrPoint' && setState((s) => applyEvent(s, e));
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
      const model = await call('load', { source }, eventsInto(setState));
      patch({ busy: null, download: null, ...(model ? { model } : {}) });
    },
    [patch, call],
  );

  /**
   * Reads a chosen file. A file chosen while another is read replaces it: the earlier read stops, and only the
   * last choice's answer is kept. The sample opened on first visit (`ifNoneChosen`) never replaces a choice.
   */
  const tables = useRef(new Latest()).current;
  const loadTable = useCallback(
    async (file: string, blob: Blob, ifNoneChosen = false) => {
      if (ifNoneChosen && tables.count > 0) return;
      const { replaced } = tables.ask();
      if (tables.count > 1) await call('cancelTable', {});
      patch({ busy: 'reading', error: null, reading: { file, read: 0, total: blob.size } });
      const onEvent = (e: WorkerEvent) => {
        if (e.type === 'reading' && !replaced()) patch({ reading: { file, read: e.read, total: e.total } });
      };
      const table = await call('table', { file, blob }, onEvent, replaced);
      if (!replaced()) patch({ busy: null, reading: null, ...(table ? { table, profile: null } : {}) });
    },
    [patch, call, tables],
  );
  const cancelReading = useCallback(() => call('cancelTable', {}), [call]);

  const profiles = useRef(new Latest()).current;
  const profile = useCallback(
    async (roles: ColumnRoles, rowLimit: RowLimit | null, seed: number) => {
      // Only the profile of the settings asked for last is shown (an older answer may arrive after it), and none
      // of a file since replaced.
      const { replaced } = profiles.ask(tables);
      const p = await call('profile', { roles, rowLimit, seed }, eventsInto(setState), replaced);
      if (!replaced()) setState((s) => ({ ...s, profile: p, reading: null }));
    },
    [setState, call, profiles, tables],
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
