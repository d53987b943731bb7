import type { ErrorReport } from '../../core/errors';

/** The page's one error message: a user's problem as it is, a bug marked as one (with a request to report it). */
export function ErrorBanner({ error, onDismiss }: { error: ErrorReport; onDismiss: () => void }) {
  return (
    <div role="alert" className="error" data-kind={error.kind}>
      {error.kind === 'bug' && <strong>Something went wrong inside TabTune. </strong>}
      <p>{error.message}</p>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
