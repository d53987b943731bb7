import { useCallback, useEffect, useRef, useState } from 'react';
import { probeKey, type ProbeJob, type ProbeResult } from '../core/runtime/probe';
import { cached, decide, deviceKey, idleWorkLeft } from './backendChoice';

/** How long the job must stay the same before the page starts timing it (settings being typed in do not). */
export const IDLE_PROBE_DELAY_MS = 2000;

export interface IdleProbe {
  /** The job's measurement on this device so far (kept from before, or measured while idle); null when none. */
  result: ProbeResult | null;
  /** Whether backends are being timed now. */
  measuring: boolean;
  /** Ends the measurement at once (Start does, so that the run has the cores). */
  stop: () => void;
}

/**
 * Times the backends for `job` while the page is idle (a file read, the model ready, no run; null otherwise), so
 * that Start finds the measurement done, and WASM's thread counts are timed as well (`decide`, thorough). A changed
 * job, or null, ends the measurement under way.
 */
export function useIdleProbe(job: ProbeJob | null, gpu: string | null): IdleProbe {
  const key = job ? probeKey(job, deviceKey(gpu)) : null;
  const jobRef = useRef(job);
  jobRef.current = job;
  const controller = useRef<AbortController | null>(null);
  const [state, setState] = useState<{ key: string | null; result: ProbeResult | null; measuring: boolean }>({
    key: null,
    result: null,
    measuring: false,
  });
  useEffect(() => {
    const j = jobRef.current;
    if (!key || !j) return;
    const before = cached(key);
    setState({ key, result: before, measuring: false });
    if (before && !idleWorkLeft(before)) return;
    const c = new AbortController();
    controller.current = c;
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, measuring: true }));
      const show = (result: ProbeResult) => setState((s) => (s.key === key ? { ...s, result } : s));
      decide(j, c.signal, { setting: 'auto', gpu, thorough: true, show })
        .catch(() => undefined) // ended, or nothing measured: Start measures and says why
        .finally(() => setState((s) => (s.key === key ? { ...s, measuring: false } : s)));
    }, IDLE_PROBE_DELAY_MS);
    return () => {
      clearTimeout(timer);
      c.abort(new Error('the job changed, or a run started'));
      setState((s) => ({ ...s, measuring: false }));
    };
  }, [key, gpu]);
  const stop = useCallback(() => controller.current?.abort(new Error('a run started')), []);
  return {
    result: state.key === key ? state.result : null,
    measuring: state.key === key && state.measuring,
    stop,
  };
}
