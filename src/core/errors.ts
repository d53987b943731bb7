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

/**
 * A setting's value refused: `settings` name what it is about by their place in the run's settings
 * ("learningRate", "lora.r"), `rule` what they must be ("must be > 0 and < 1 (got -0.001)."). The message names
 * each setting by its label as the studio shows it; `named` names them another way (the CLI: by flag).
 */
export class SettingError extends TabTuneError {
  constructor(
    readonly settings: readonly string[],
    readonly rule: string,
    private readonly labels: readonly string[],
  ) {
    super('usage', `${labels.join(' and ')} ${rule}`);
    this.name = 'SettingError';
  }

  /** The message with each setting named by `name` (its label where `name` has none). */
  named(name: (setting: string) => string | undefined): string {
    return `${this.settings.map((s, i) => name(s) ?? this.labels[i]).join(' and ')} ${this.rule}`;
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
