import { toErrorReport } from '../core/errors';
import type { CallMap, Calls, PageMessage, WorkerMessage } from '../shared/protocol';
import type { Session } from './session';

type Post = (m: WorkerMessage, transfer?: Transferable[]) => void;

/**
 * The Worker's side of the protocol: each call runs on `session` with its own AbortSignal, its events and its
 * answer (a reply or an error report) posted back under its id; `{ type: 'abort', id }` aborts that call's signal.
 */
export function dispatcher<C extends CallMap<C> = Calls>(
  session: Session,
  post: Post,
): (m: PageMessage<C>) => void {
  /** The calls under way, by id. */
  const running = new Map<number, AbortController>();
  return (m) => {
    if (m.type === 'abort') {
      running.get(m.id)?.abort();
      return;
    }
    const req = m as { type: string; id: number; params: unknown };
    const controller = new AbortController();
    running.set(req.id, controller);
    void session
      .handle(req, (event) => post({ type: 'event', id: req.id, event }), controller.signal)
      .then((reply) => {
        // The exported zip moves to the page instead of being copied.
        const zip = req.type === 'export' ? (reply as { zip: Uint8Array }).zip.buffer : null;
        post({ type: 'reply', id: req.id, reply }, zip ? [zip as ArrayBuffer] : []);
      })
      .catch((err: unknown) => post({ type: 'error', id: req.id, error: toErrorReport(err) }))
      .finally(() => running.delete(req.id));
  };
}
