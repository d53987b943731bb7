/** The reason a call is aborted when a newer request made it moot: its failure is not shown. */
const REPLACED = 'replaced by a newer request';

/** Whether `signal` was aborted because a newer request replaced its call (its answer, or failure, is dropped). */
export function replaced(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason === REPLACED;
}

/**
 * "The last one asked wins", for requests whose answers may arrive out of order (a file chosen while another is
 * read, a profile asked for again with other settings): each request gets an AbortSignal, and asking again aborts
 * the one before (the Worker stops it at its next chunk). `stop` aborts the one under way as the person asked.
 */
export class Latest {
  private asked = 0;
  private current: AbortController | null = null;

  /** How many requests were asked so far. */
  get count(): number {
    return this.asked;
  }

  /** A new request's signal; the one before it is aborted as replaced, and so is each of `dependents`' (a profile of a file since replaced). */
  ask(...dependents: Latest[]): AbortSignal {
    this.asked++;
    this.current?.abort(REPLACED);
    for (const d of dependents) d.current?.abort(REPLACED);
    this.current = new AbortController();
    return this.current.signal;
  }

  /** Aborts the request under way, as the person asked (its failure is shown: "Reading f.csv was stopped …"). */
  stop(): void {
    this.current?.abort(new Error('stopped by the person'));
  }
}
