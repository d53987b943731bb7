import { toErrorReport } from '../core/errors';
import type { PageMessage, WorkerMessage } from '../shared/protocol';
import type { Session } from './session';

type Post = (m: WorkerMessage, transfer?: Transferable[]) => void;

/**
 * The Worker's side of the protocol: each call runs on `session` with its own AbortSignal, its events and its
 * answer (a reply or an error report) posted back under its id; `{ type: 'abort', id }` aborts that call's signal.
 */
export function dispatcher(session: Session, post: Post): (m: PageMessage) => void {
  /** The calls under way, by id. */
  const running = new Map<number, AbortController>();
  return (req) => {
    if (req.type === 'abort') {
      running.get(req.id)?.abort();
      return;
    }
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
