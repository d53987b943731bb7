/**
 * Errors a user can act on. Every failure that reaches the UI or the CLI is a TabTuneError whose
 * message names the file, row or tensor, says what is wrong, and says what to do.
 */
export type ErrorKind =
  | 'safetensors'
  | 'pickle'
  | 'checkpoint'
  | 'config'
  | 'tokenizer'
  | 'data'
  | 'network'
  | 'usage'
  | 'training'
  | 'backend';

export class TabTuneError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'TabTuneError';
    this.kind = kind;
  }
}

export function isTabTuneError(e: unknown): e is TabTuneError {
  return e instanceof TabTuneError;
}

/** A one-line message for any thrown value: ours verbatim, anything else marked as a bug to report. */
export function describeError(e: unknown): string {
  if (isTabTuneError(e)) return e.message;
  const msg = e instanceof Error ? e.message : String(e);
  return `Unexpected error: ${msg}. This is a TabTune bug; please report it with the input that caused it.`;
}

/**
 * An error as it crosses a boundary (Worker → page, core → CLI): a user's problem keeps its kind and
 * message; anything else is a `bug`, with the message that asks for a report.
 */
export interface ErrorReport {
  kind: ErrorKind | 'bug';
  message: string;
}

export function toErrorReport(e: unknown): ErrorReport {
  return { kind: isTabTuneError(e) ? e.kind : 'bug', message: describeError(e) };
}
