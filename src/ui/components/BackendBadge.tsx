import { threadsLabel } from '../../core/backendLabel';
import type { BackendReport } from '../../shared/protocol';

export function BackendBadge({ backend }: { backend: BackendReport | null }) {
  if (!backend)
    return (
      <p role="status" aria-label="Compute backend">
        Starting the compute backend…
      </p>
    );
  const fallback = backend.skipped[0];
  return (
    <p role="status" aria-label="Compute backend" className={fallback ? 'badge warn' : 'badge'}>
      Backend: <strong data-testid="backend-name">{backend.activeBackend}</strong>
      {backend.threads !== null && (
        <span data-testid="backend-threads"> ({threadsLabel(backend.threads)})</span>
      )}
      {fallback && (
        <span>
          {' '}
          — {fallback.name} is not in use: {fallback.reason}
        </span>
      )}
    </p>
  );
}
