import type { ErrorReport } from '../core/errors';
import type { CallMap, Calls, PageMessage, WorkerEvent, WorkerMessage } from '../shared/protocol';

/** A failed call, as the Worker reported it: `kind` tells a user's problem from a bug. */
export class WorkerCallError extends Error {
  constructor(readonly report: ErrorReport) {
    super(report.message);
    this.name = 'WorkerCallError';
  }
}

/** How a call is made: where its streamed events go, and the signal that cancels it. */
export interface CallOptions {
  onEvent?: (e: WorkerEvent) => void;
  /** Aborting it cancels the call in the Worker (a read, a download, a run's Stop); the Worker still answers. */
  signal?: AbortSignal;
}

type Pending = {
  resolve: (r: unknown) => void;
  reject: (e: WorkerCallError) => void;
  onEvent?: (e: WorkerEvent) => void;
};

/**
 * What the studio needs of a Worker's client: the studio's calls, and ending the Worker. The lab's client, which
 * also makes the lab's calls, is one as well.
 */
export interface StudioClient {
  call<K extends keyof Calls & string>(
    type: K,
    params: Calls[K]['params'],
    options?: CallOptions,
  ): Promise<Calls[K]['reply']>;
  terminate(): void;
}

/** Typed calls over the Worker's postMessage: the reply type follows from the call. The only code that talks to the Worker. */
export class WorkerClient<C extends CallMap<C> = Calls> {
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => this.receive(e.data);
    worker.onerror = (e) => {
      const report: ErrorReport = {
        kind: 'bug',
        message: `The compute worker crashed (${e.message}). Reload the page; if it happens again, please report it.`,
      };
      for (const p of this.pending.values()) p.reject(new WorkerCallError(report));
      this.pending.clear();
    };
  }

  call<K extends keyof C & string>(
    type: K,
    params: C[K]['params'],
    options: CallOptions = {},
  ): Promise<C[K]['reply']> {
    const id = this.nextId++;
    const { onEvent, signal } = options;
    return new Promise<C[K]['reply']>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, onEvent });
      this.post({ type, id, params } as PageMessage<C>);
      if (signal?.aborted) this.post({ type: 'abort', id });
      else
        signal?.addEventListener('abort', () => this.pending.has(id) && this.post({ type: 'abort', id }), {
          once: true,
        });
    });
  }

  private post(m: PageMessage<C>): void {
    this.worker.postMessage(m);
  }

  private receive(m: WorkerMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'event') {
      p.onEvent?.(m.event);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'error') p.reject(new WorkerCallError(m.error));
    else p.resolve(m.reply);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
