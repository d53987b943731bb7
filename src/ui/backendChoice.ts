import { BROWSER_BACKENDS, type BackendName } from '../core/backend';
import { measureBackends, timeThreads } from '../core/runtime/measure';
import {
  probeCandidates,
  probeKey,
  type BackendDecision,
  type ProbeJob,
  type ProbeResult,
} from '../core/runtime/probe';
import { startProbe, threadsToTime } from '../shared/probeWorker';

/** The backend setting: measured for each job ("auto"), or one chosen by hand. */
export type BackendSetting = 'auto' | BackendName;

const SETTING_KEY = 'tabtune.backend';

/** The remembered setting (auto when none was chosen, or storage is denied). */
export function loadBackendSetting(): BackendSetting {
  try {
    const v = localStorage.getItem(SETTING_KEY);
    return v && (v === 'auto' || (BROWSER_BACKENDS as readonly string[]).includes(v))
      ? (v as BackendSetting)
      : 'auto';
  } catch {
    return 'auto';
  }
}

export function saveBackendSetting(setting: BackendSetting): void {
  try {
    localStorage.setItem(SETTING_KEY, setting);
  } catch {
    // storage denied: the choice holds for this visit only
  }
}

/** What identifies this device and browser for the cache: the same job here is not timed again. */
export function deviceKey(gpu: string | null): string {
  return [navigator.userAgent, navigator.hardwareConcurrency, gpu ?? 'no gpu'].join(' / ');
}

/** The measurement kept under `key` (`probeKey`), if any. */
export function cached(key: string): ProbeResult | null {
  try {
    const v = localStorage.getItem(key);
    return v ? (JSON.parse(v) as ProbeResult) : null;
  } catch {
    return null;
  }
}

function save(key: string, result: ProbeResult): void {
  try {
    localStorage.setItem(key, JSON.stringify(result));
  } catch {
    // storage denied: measured again next time
  }
}

/** How `decide` decides: the backend setting, the GPU's name (for the cache), and on the idle page more figures. */
export interface DecideOptions {
  setting: BackendSetting;
  gpu: string | null;
  /** The idle page: WASM's thread counts not yet timed are timed too (`timeThreads`), which may change the choice. */
  thorough?: boolean;
  /** Each result as it comes, kept too (the idle page shows them). */
  show?: (r: ProbeResult) => void;
}

/**
 * The probe's one entry point: which backend a run of `job` trains on — the one chosen by hand, or the fastest
 * measured for this job on this device (`measureBackends`; from the cache when it was measured before, at an earlier
 * Start or while the page was idle). Each result is kept for the next time. Aborting `signal` (Stop, Start while
 * idle, a changed job) stops its Workers at once and rejects with the signal's reason; what finished is kept. A
 * probe that measured nothing falls back to the first backend that starts.
 */
export async function decide(job: ProbeJob, signal: AbortSignal, o: DecideOptions): Promise<BackendDecision> {
  if (o.setting !== 'auto') return { how: 'chosen', backend: o.setting };
  const key = probeKey(job, deviceKey(o.gpu));
  const keep = (r: ProbeResult) => (save(key, r), o.show?.(r));
  let result = cached(key);
  const hit = result !== null;
  try {
    if (!result) {
      const order = BROWSER_BACKENDS;
      result = await measureBackends(job, probeCandidates(order), order, startProbe, { signal });
    }
    keep(result);
    if (o.thorough) {
      const threads = threadsToTime(result);
      result = await timeThreads(result, startProbe, keep, { order: BROWSER_BACKENDS, threads, signal });
    }
    return { how: 'measured', result, cached: hit };
  } catch (e) {
    signal.throwIfAborted();
    return {
      how: 'default',
      backend: BROWSER_BACKENDS[0]!,
      reason: `the measurement failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** Whether the idle page has something left to time for `result`: a WASM thread count. */
export function idleWorkLeft(result: ProbeResult): boolean {
  return threadsToTime(result).length > 0;
}

/** The WASM thread count a decision asks for (null: TF.js's default, or not WASM). */
export function decidedThreads(d: BackendDecision): number | null {
  return d.how === 'measured' && d.result.chosen === 'wasm' ? (d.result.threads ?? null) : null;
}

/** The order a Worker tries: `first`, then the usual order as its fallbacks. */
function startingWith(first: BackendName): BackendName[] {
  return [first, ...BROWSER_BACKENDS.filter((b) => b !== first)];
}

/** The order the run's Worker tries: the decided backend first. */
export function runOrder(d: BackendDecision): BackendName[] {
  return startingWith(d.how === 'measured' ? d.result.chosen : d.backend);
}

/** The order for a setting outside a run: a backend chosen by hand first; the usual order (undefined) for auto. */
export function settingOrder(setting: BackendSetting): BackendName[] | undefined {
  return setting === 'auto' ? undefined : startingWith(setting);
}
