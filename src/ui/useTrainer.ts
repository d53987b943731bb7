import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendName } from '../core/backend';
import type { ColumnRoles } from '../core/data/dataset';
import type { DatasetProfile } from '../core/data/profile';
import type { Prediction } from '../core/data/labels';
import type { EmbeddingRecord, TextRow } from '../core/embed';
import type { TrainConfig } from '../core/train/config';
import type { EvalPoint, ProgressPoint } from '../core/train/trainer';
import type {
  ModelSourceSpec,
  ModelSummary,
  RunSummary,
  TableSummary,
  WorkerReply,
} from '../shared/protocol';
import { WorkerClient, type RequestBody } from './workerClient';

export interface BackendState {
  name: BackendName;
  active: string;
  skipped: Array<{ name: BackendName; reason: string }>;
}

export interface DownloadState {
  file: string;
  loaded: number;
  total: number | null;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'stopping' | 'done';

export interface TrainerState {
  backend: BackendState | null;
  model: ModelSummary | null;
  table: TableSummary | null;
  profile: DatasetProfile | null;
  busy: 'starting' | 'loading' | 'reading' | null;
  download: DownloadState | null;
  status: RunStatus;
  progress: ProgressPoint[];
  evaluations: EvalPoint[];
  logs: string[];
  run: RunSummary | null;
  error: string | null;
}

const INITIAL: TrainerState = {
  backend: null,
  model: null,
  table: null,
  profile: null,
  busy: 'starting',
  download: null,
  status: 'idle',
  progress: [],
  evaluations: [],
  logs: [],
  run: null,
  error: null,
};

/** Owns the compute Worker: created once, terminated on unmount. Components get state and actions. */
export function useTrainer() {
  const client = useRef<WorkerClient | null>(null);
  const [state, setState] = useState<TrainerState>(INITIAL);
  const patch = useCallback((p: Partial<TrainerState>) => setState((s) => ({ ...s, ...p })), []);

  useEffect(() => {
    const c = new WorkerClient(
      new Worker(new URL('../worker/compute.worker.ts', import.meta.url), { type: 'module' }),
    );
    client.current = c;
    c.request({ type: 'init' })
      .then(
        (r) =>
          r.type === 'ready' &&
          patch({ busy: null, backend: { name: r.backend, active: r.activeBackend, skipped: r.skipped } }),
      )
      .catch((e: Error) => patch({ busy: null, error: e.message }));
    return () => {
      c.terminate();
      client.current = null;
    };
  }, [patch]);

  /** Sends a request; a failure becomes the page's error message and resolves to null. */
  const send = useCallback(
    async (body: RequestBody, onEvent?: (r: WorkerReply) => void): Promise<WorkerReply | null> => {
      const c = client.current;
      if (!c) return null;
      try {
        return await c.request(body, onEvent);
      } catch (e) {
        patch({ error: (e as Error).message });
        return null;
      }
    },
    [patch],
  );

  const loadModel = useCallback(
    async (source: ModelSourceSpec) => {
      patch({ busy: 'loading', error: null, download: null });
      const r = await send(
        { type: 'load', source },
        (e) =>
          e.type === 'download' && patch({ download: { file: e.file, loaded: e.loaded, total: e.total } }),
      );
      patch({ busy: null, download: null, ...(r?.type === 'loaded' ? { model: r.model } : {}) });
    },
    [patch, send],
  );

  const loadTable = useCallback(
    async (file: string, text: string) => {
      patch({ busy: 'reading', error: null });
      const r = await send({ type: 'table', file, text });
      patch({ busy: null, ...(r?.type === 'tableParsed' ? { table: r.table } : {}) });
    },
    [patch, send],
  );

  const profile = useCallback(
    async (roles: ColumnRoles) => {
      const r = await send({ type: 'profile', roles });
      patch({ profile: r?.type === 'profiled' ? r.profile : null });
    },
    [patch, send],
  );

  const start = useCallback(
    async (config: TrainConfig, roles: ColumnRoles, base: 'loaded' | 'scratch') => {
      patch({ status: 'running', progress: [], evaluations: [], logs: [], run: null, error: null });
      const onEvent = (e: WorkerReply) => {
        if (e.type === 'progress') setState((s) => ({ ...s, progress: [...s.progress, e.point] }));
        if (e.type === 'evaluation') setState((s) => ({ ...s, evaluations: [...s.evaluations, e.point] }));
        if (e.type === 'log') setState((s) => ({ ...s, logs: [...s.logs, e.message] }));
      };
      const r = await send({ type: 'start', config, roles, base }, onEvent);
      patch({ status: r?.type === 'done' ? 'done' : 'idle', ...(r?.type === 'done' ? { run: r.run } : {}) });
    },
    [patch, send],
  );

  const control = useCallback(
    async (action: 'pause' | 'resume' | 'stop') => {
      patch({ status: action === 'pause' ? 'paused' : action === 'resume' ? 'running' : 'stopping' });
      await send({ type: action });
    },
    [patch, send],
  );

  const predict = useCallback(
    async (rows: TextRow[]): Promise<Prediction[] | null> => {
      const r = await send({ type: 'predict', rows });
      return r?.type === 'predicted' ? r.predictions : null;
    },
    [send],
  );

  const embed = useCallback(
    async (rows: TextRow[], maxLength: number): Promise<EmbeddingRecord[] | null> => {
      const r = await send({ type: 'embed', rows, maxLength });
      return r?.type === 'embedded' ? r.records : null;
    },
    [send],
  );

  const exportZip = useCallback(async (): Promise<{ zip: Uint8Array; fileName: string } | null> => {
    const r = await send({ type: 'export' });
    return r?.type === 'exported' ? { zip: r.zip, fileName: r.fileName } : null;
  }, [send]);

  const cancelLoad = useCallback(async () => {
    await send({ type: 'cancelLoad' });
  }, [send]);

  const clearCache = useCallback(async (): Promise<number | null> => {
    const r = await send({ type: 'clearCache' });
    return r?.type === 'cacheCleared' ? r.files : null;
  }, [send]);

  const dismissError = useCallback(() => patch({ error: null }), [patch]);
  /** Problems found on the page itself (e.g. a file that is not a CSV) show where the Worker's do. */
  const reportError = useCallback((message: string) => patch({ error: message }), [patch]);

  return {
    state,
    loadModel,
    loadTable,
    profile,
    start,
    control,
    predict,
    embed,
    exportZip,
    clearCache,
    cancelLoad,
    dismissError,
    reportError,
  };
}
