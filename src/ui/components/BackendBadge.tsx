import type { BackendState } from '../useTrainer';

export function BackendBadge({ backend }: { backend: BackendState | null }) {
  if (!backend)
    return (
      <p role="status" aria-label="Compute backend">
        Starting the compute backend…
      </p>
    );
  const fallback = backend.skipped[0];
  return (
    <p role="status" aria-label="Compute backend" className={fallback ? 'badge warn' : 'badge'}>
      Backend: <strong data-testid="backend-name">{backend.active}</strong>
      {fallback && (
        <span>
          {' '}
          — {fallback.name} is not in use: {fallback.reason}
        </span>
      )}
    </p>
  );
}
