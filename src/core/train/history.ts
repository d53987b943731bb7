import { TabTuneError } from '../errors';
import type { RecordedResult, RunRecord } from './record';

/**
 * One finished run as the studio's run history keeps it (in browser storage): its record — settings, columns,
 * data file and rows, base model, backend, the evaluation history, final metrics and the classical baseline —
 * with when it ran, for how long, and the fingerprint of the rows it trained on.
 */
export interface HistoryEntry {
  id: string;
  startedAt: string;
  endedAt: string;
  /** Wall-clock seconds from start to end (pauses included). */
  seconds: number;
  fingerprint: string;
  record: RunRecord & { result: RecordedResult };
}

export function historyEntry(
  record: RunRecord & { result: RecordedResult },
  fingerprint: string,
  started: Date,
  ended: Date,
): HistoryEntry {
  return {
    id: `run-${ended.getTime().toString(36)}-${fingerprint.slice(0, 6)}`,
    startedAt: started.toISOString(),
    endedAt: ended.toISOString(),
    seconds: Math.round((ended.getTime() - started.getTime()) / 100) / 10,
    fingerprint,
    record,
  };
}

/** A stored entry read back: anything that is not one (a file cut short, another program's) is refused by name. */
export function parseHistoryEntry(text: string, file: string): HistoryEntry {
  let e: Partial<HistoryEntry>;
  try {
    e = JSON.parse(text) as Partial<HistoryEntry>;
  } catch {
    throw new TabTuneError('data', `${file} is not readable JSON (cut short?); it was left as it is.`);
  }
  const ok =
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    typeof e.endedAt === 'string' &&
    typeof e.seconds === 'number' &&
    Array.isArray(e.record?.result?.history) &&
    typeof e.record?.data?.file === 'string';
  if (!ok) throw new TabTuneError('data', `${file} is not a TabTune run record; it was left as it is.`);
  return e as HistoryEntry;
}

/** Newest first. */
export function sortHistory(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return [...entries].sort((a, b) => b.endedAt.localeCompare(a.endedAt) || a.id.localeCompare(b.id));
}

/** "12:04 · reviews.csv · scratch · AUC 0.812" — a run's name in the list and in the charts' legends. */
export function historyLabel(e: HistoryEntry): string {
  const auc = e.record.result.final.validation.auc;
  const when = e.endedAt.slice(0, 16).replace('T', ' ');
  return `${when} · ${e.record.data.file} · ${e.record.baseModel}${auc === null ? '' : ` · AUC ${auc.toFixed(3)}`}`;
}

/**
 * The validation curves of several runs on one step axis, for an overlay chart: one row per step any run evaluated
 * at (the baseline at step 0, then each evaluation while training), one key per run (its id) holding its value
 * there, or null where that run has no point.
 */
export function overlaySeries(
  entries: readonly HistoryEntry[],
  metric: 'auc' | 'loss',
): Array<{ step: number } & Record<string, number | null>> {
  const steps = new Map<number, { step: number } & Record<string, number | null>>();
  for (const e of entries) {
    for (const p of e.record.result.history) {
      if (p.split !== 'validation' || p.phase === 'final') continue; // the final point repeats the best weights' step
      const row = steps.get(p.step) ?? ({ step: p.step } as { step: number } & Record<string, number | null>);
      for (const other of entries) if (!(other.id in row)) row[other.id] = null;
      row[e.id] = metric === 'auc' ? p.auc : p.loss;
      steps.set(p.step, row);
    }
  }
  return [...steps.values()].sort((a, b) => a.step - b.step);
}
