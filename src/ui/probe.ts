import { BROWSER_BACKENDS, type BackendName } from '../core/backend';
import { completeMeasurements, incomplete, measureBackends, type StartProbe } from '../core/runtime/measure';
import {
  moreThreads,
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

/** Times the job on every backend that can start (`measureBackends`) and keeps the result for the next time. */
async function measureNow(job: ProbeJob, key: string, signal?: AbortSignal): Promise<ProbeResult> {
  const result = await measureBackends(job, probeCandidates(BROWSER_BACKENDS), BROWSER_BACKENDS, startProbe, {
    signal,
  });
  save(key, result);
  return result;
}

/**
 * Which backend a run of `job` trains on: the one chosen by hand, or the fastest measured for this job on this
 * device (from the cache when it was measured before, at an earlier Start or while the page was idle). A probe that
 * measured nothing falls back to the first backend that starts.
 */
export async function decideBackend(
  setting: BackendSetting,
  job: ProbeJob,
  gpu: string | null,
): Promise<BackendDecision> {
  if (setting !== 'auto') return { how: 'chosen', backend: setting };
  const key = probeKey(job, deviceKey(gpu));
  const hit = cached(key);
  if (hit) return { how: 'measured', result: hit, cached: true };
  try {
    return { how: 'measured', result: await measureNow(job, key), cached: false };
  } catch (e) {
    return {
      how: 'default',
      backend: BROWSER_BACKENDS[0]!,
      reason: `the measurement failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/**
 * What the page measures while it is idle, before Start: the job on every backend (unless kept from before), then an
 * estimate for each backend without a figure (a software GPU, one stopped: `completeMeasurements`), each kept and
 * shown (`show`) as it comes. Aborting `signal` (Start, a changed job) stops its Workers at once; what finished is
 * kept. Rejects with the signal's reason when aborted, or when nothing could be measured (Start then says why).
 */
export async function measureWhileIdle(
  job: ProbeJob,
  gpu: string | null,
  signal: AbortSignal,
  show: (r: ProbeResult) => void,
): Promise<void> {
  const key = probeKey(job, deviceKey(gpu));
  const result = cached(key) ?? (await measureNow(job, key, signal));
  show(result);
  await complete(result, BROWSER_BACKENDS, (r) => (save(key, r), show(r)), signal);
}

/** What the idle page adds to `result`: estimates, then WASM's thread counts not yet timed (`completeMeasurements`). */
function complete(
  result: ProbeResult,
  order: readonly BackendName[],
  onUpdate: (r: ProbeResult) => void,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  return completeMeasurements(result, startProbe, onUpdate, {
    order,
    threads: threadsToTime(result),
    signal,
  });
}

/** Whether the idle page has something left to time for `result`: an estimate, or a WASM thread count. */
export function idleWorkLeft(result: ProbeResult): boolean {
  return incomplete(result) || threadsToTime(result).length > 0;
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
