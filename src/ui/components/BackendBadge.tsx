import { threadsLabel } from '../../core/backendLabel';
import { BROWSER_BACKENDS } from '../../core/backend';
import { describeDevice } from '../../core/runtime/device';
import {
  describeChoice,
  describeMeasurement,
  seconds,
  type BackendDecision,
  type ProbeResult,
} from '../../core/runtime/probe';
import type { BackendSetting } from '../backendChoice';
import { backendLine } from '../backendLine';
import type { TrainerState } from '../trainerState';
import type { IdleProbe } from '../useIdleProbe';

const NAMES: Record<BackendSetting, string> = {
  auto: 'Fastest for the run (measured)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'CPU (plain JavaScript)',
};

/**
 * Which backend computes, on which device, how it was chosen (and each backend's measured speed), and the choice.
 * Before a run, and between runs, the figures are those measured for the job on the page (`idle`, timed while the
 * page is idle); during a run, how the run's backend was decided.
 */
export function BackendBadge(props: {
  state: Pick<TrainerState, 'backend' | 'decision' | 'probing' | 'backendSetting' | 'status'>;
  idle: Pick<IdleProbe, 'result' | 'measuring'>;
  onSetting: (s: BackendSetting) => unknown;
  locked: boolean;
}) {
  const { backend, probing, status } = props.state;
  const { idle } = props;
  const running = probing || status === 'running' || status === 'paused' || status === 'stopping';
  // Between runs, the figures measured for the job on the page; during a run, how its backend was decided.
  const betweenRuns = !running && idle.result !== null;
  if (!backend)
    return (
      <p role="status" aria-label="Compute backend" data-testid="backend-line">
        Starting the compute backend…
      </p>
    );
  const fallback = backend.skipped[0];
  const device = backend.device;
  const line = backendLine({
    backend,
    decision: betweenRuns ? null : props.state.decision,
    measured: betweenRuns ? idle.result : null,
    probing,
    measuring: !running && idle.measuring,
  });
  return (
    <section aria-label="Compute backend" className={fallback || device?.software ? 'badge warn' : 'badge'}>
      <p role="status" data-testid="backend-line">
        {line}
      </p>
      <details className="backend-details">
        <summary>Backend details</summary>
        <p>
          Backend: <strong data-testid="backend-name">{backend.activeBackend}</strong>
          {backend.threads !== null && (
            <span data-testid="backend-threads"> ({threadsLabel(backend.threads)})</span>
          )}
          {device && <span data-testid="backend-device"> on {describeDevice(device)}</span>}
          {fallback && !props.state.decision && !betweenRuns && (
            <span>
              {' '}
              — {fallback.name} is not in use: {fallback.reason}
            </span>
          )}
          {!running && idle.measuring && (
            <span data-testid="backend-idle-probe"> — timing each backend on this job while you set up…</span>
          )}
        </p>
        {betweenRuns ? (
          <MeasuredLine result={idle.result!} />
        ) : (
          props.state.decision && <DecisionLine decision={props.state.decision} />
        )}
      </details>
      <label>
        Backend for training{' '}
        <select
          value={props.state.backendSetting}
          disabled={props.locked}
          onChange={(e) => props.onSetting(e.target.value as BackendSetting)}
        >
          {(['auto', ...BROWSER_BACKENDS] as BackendSetting[]).map((b) => (
            <option key={b} value={b}>
              {NAMES[b]}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

function DecisionLine({ decision }: { decision: BackendDecision }) {
  if (decision.how === 'chosen')
    return <p data-testid="backend-decision">Chosen by hand: {decision.backend} (no measurement).</p>;
  if (decision.how === 'default')
    return (
      <p data-testid="backend-decision">
        {decision.backend}, the first that starts: {decision.reason}.
      </p>
    );
  const { result, cached } = decision;
  return (
    <div data-testid="backend-decision">
      <p>
        {describeChoice(result)} is the fastest for this run’s job (
        {cached ? 'measured before on this device' : `measured in ${seconds(result.totalMs)}`}):
      </p>
      <Figures result={result} />
    </div>
  );
}

/** The figures for the job on the page, before Start: what a run would train on. */
function MeasuredLine({ result }: { result: ProbeResult }) {
  return (
    <div data-testid="backend-decision">
      <p>{describeChoice(result)} is the fastest for this job on this device; Start trains there:</p>
      <Figures result={result} />
    </div>
  );
}

/** Each backend's figure for the job (WASM's at each thread count). */
function Figures({ result }: { result: ProbeResult }) {
  return (
    <ul aria-label="Measured backends">
      {result.measurements.map((m) => (
        <li
          key={`${m.backend} ${m.threads ?? ''}`}
          data-backend={m.backend}
          data-threads={m.threads ?? undefined}
        >
          {describeMeasurement(m)}
        </li>
      ))}
    </ul>
  );
}
