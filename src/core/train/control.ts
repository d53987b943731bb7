/**
 * How a caller steers work that runs step by step (a run, the LR range test, a settings search): `signal` stops it
 * at its next step boundary, `gate` holds it there while paused. The one cancellation model: everything that can be
 * stopped takes an `AbortSignal`, and pausing is a promise awaited at the step boundary, not a flag polled.
 */
export interface RunControl {
  /** Aborted: the work ends at its next step boundary, keeping what it did. */
  readonly signal?: AbortSignal;
  /** Closed: the work waits at its next step boundary until it is opened again (or `signal` aborts). */
  readonly gate?: PauseGate;
}

/** A gate work waits at between steps: open, or closed until `open` (or the waiter's signal aborting). */
export class PauseGate {
  private closed: { opened: Promise<void>; open: () => void } | null = null;

  get paused(): boolean {
    return this.closed !== null;
  }

  close(): void {
    if (this.closed) return;
    let open = () => undefined as void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.closed = { opened, open };
  }

  open(): void {
    this.closed?.open();
    this.closed = null;
  }

  /**
   * Resolves at once while open; while closed, once it opens or `signal` aborts. It first yields one task either way,
   * so the messages that pause or stop the work (a Worker's, a page's) are handled between its steps.
   */
  async pass(signal?: AbortSignal): Promise<void> {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const closed = this.closed;
    if (!closed || signal?.aborted) return;
    let onAbort = () => undefined as void;
    const aborted = new Promise<void>((resolve) => (onAbort = resolve));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.race([closed.opened, aborted]);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
