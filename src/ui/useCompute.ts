import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendName } from '../core/backend';
import type { EmbeddingRecord, TextRow } from '../core/embed';
import type { ModelSourceSpec, ModelSummary, WorkerReply } from '../shared/protocol';
import { WorkerClient } from './workerClient';

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

export interface ComputeState {
  backend: BackendState | null;
  model: ModelSummary | null;
  busy: 'starting' | 'loading' | 'embedding' | null;
  download: DownloadState | null;
  error: string | null;
}

/** Owns the compute Worker: created once per page, terminated on unmount; exposes state and actions. */
export function useCompute() {
  const client = useRef<WorkerClient | null>(null);
  const [state, setState] = useState<ComputeState>({
    backend: null,
    model: null,
    busy: 'starting',
    download: null,
    error: null,
  });

  useEffect(() => {
    const c = new WorkerClient(
      new Worker(new URL('../worker/compute.worker.ts', import.meta.url), { type: 'module' }),
    );
    client.current = c;
    c.request({ type: 'init' })
      .then((r) => {
        if (r.type === 'ready') {
          setState((s) => ({
            ...s,
            busy: null,
            backend: { name: r.backend, active: r.activeBackend, skipped: r.skipped },
          }));
        }
      })
      .catch((e: Error) => setState((s) => ({ ...s, busy: null, error: e.message })));
    return () => {
      c.terminate();
      client.current = null;
    };
  }, []);

  const loadModel = useCallback(async (source: ModelSourceSpec) => {
    const c = client.current;
    if (!c) return;
    setState((s) => ({ ...s, busy: 'loading', error: null, download: null }));
    try {
      const onEvent = (r: WorkerReply) => {
        if (r.type === 'download')
          setState((s) => ({ ...s, download: { file: r.file, loaded: r.loaded, total: r.total } }));
      };
      const r = await c.request({ type: 'load', source }, onEvent);
      if (r.type === 'loaded') setState((s) => ({ ...s, busy: null, model: r.model, download: null }));
    } catch (e) {
      setState((s) => ({ ...s, busy: null, download: null, error: (e as Error).message }));
    }
  }, []);

  const embed = useCallback(async (rows: TextRow[], maxLength: number): Promise<EmbeddingRecord[] | null> => {
    const c = client.current;
    if (!c) return null;
    setState((s) => ({ ...s, busy: 'embedding', error: null }));
    try {
      const r = await c.request({ type: 'embed', rows, maxLength });
      setState((s) => ({ ...s, busy: null }));
      return r.type === 'embedded' ? r.records : null;
    } catch (e) {
      setState((s) => ({ ...s, busy: null, error: (e as Error).message }));
      return null;
    }
  }, []);

  return { state, loadModel, embed };
}
