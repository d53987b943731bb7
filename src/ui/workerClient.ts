import { STREAMED, type WorkerReply, type WorkerRequest } from '../shared/protocol';

type Pending = {
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
  onEvent?: (r: WorkerReply) => void;
};
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type RequestBody = DistributiveOmit<WorkerRequest, 'id'>;

/** Typed request/reply over the worker's postMessage; the only code that talks to the Worker. */
export class WorkerClient {
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<WorkerReply>) => this.receive(e.data);
    worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(`The compute worker crashed: ${e.message}`));
      this.pending.clear();
    };
  }

  request(body: RequestBody, onEvent?: (r: WorkerReply) => void): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onEvent });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }

  private receive(reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (STREAMED.has(reply.type)) {
      p.onEvent?.(reply);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'error') p.reject(new Error(reply.message));
    else p.resolve(reply);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
