import type { AuditReport } from '../core/audit/report';
import type { ClassicalOutcome } from '../core/baseline/classical';
import type { DatasetProfile } from '../core/data/profile';
import type { ErrorReport } from '../core/errors';
import type { BackendDecision } from '../core/runtime/probe';
import type { EvalPoint } from '../core/train/evaluate';
import type { HistoryEntry } from '../core/train/history';
import type { LrFinderResult, LrPoint } from '../core/train/lrFinder';
import type { ProgressPoint } from '../core/train/progress';
import type { SchedulePlan } from '../core/train/schedule';
import type {
  BackendReport,
  ModelSummary,
  RunSummary,
  SavedRunSummary,
  SavedSearchSummary,
  TableSummary,
  WorkerEvent,
} from '../shared/protocol';
import type { BackendSetting } from './backendChoice';
import { NO_SEARCH, withEvaluation, withTrial, type SearchView } from './search';

/*
 * The studio's state, and how each event the Worker streams changes it: pure, so the page's hook only sends calls
 * and applies what comes back.
 */

export interface DownloadState {
  file: string;
  loaded: number;
  total: number | null;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'stopping' | 'done';

export interface TrainerState {
  backend: BackendReport | null;
  /** The GPU the page found when it opened (its name keys the probe's cache); null without one. */
  gpu: string | null;
  /** Measured for each job ("auto", the default), or a backend chosen by hand (remembered). */
  backendSetting: BackendSetting;
  /** While the backends are timed for the run about to start. */
  probing: boolean;
  /** How the last run's backend was decided: its measurement, or the person's choice. */
  decision: BackendDecision | null;
  model: ModelSummary | null;
  table: TableSummary | null;
  profile: DatasetProfile | null;
  busy: 'starting' | 'loading' | 'reading' | null;
  /** A CSV file being read (chosen, or its rows read again for a run): bytes so far of its size. */
  reading: { file: string; read: number; total: number } | null;
  download: DownloadState | null;
  status: RunStatus;
  /** The running (or last) run's schedule, from the Worker. */
  plan: SchedulePlan | null;
  progress: ProgressPoint[];
  evaluations: EvalPoint[];
  /** The run's classical baseline, as soon as the Worker has fitted it (before training starts). */
  classical: ClassicalOutcome | null;
  logs: string[];
  run: RunSummary | null;
  /** The last learning-rate range test: its points as they arrive, then its suggestion. */
  lrFinder: { points: LrPoint[]; result: LrFinderResult | null } | null;
  /** A run saved in this browser that did not end (found when the page opens): it can be resumed. */
  saved: SavedRunSummary | null;
  /** The running run's last saved step, or why saving stopped. */
  lastSave: { step: number; totalSteps: number } | null;
  saveError: string | null;
  /** The settings search under way (or the last one): its trials and their validation AUC. */
  search: SearchView | null;
  /** A settings search saved in this browser that did not end: it can go on. */
  savedSearch: SavedSearchSummary | null;
  /** Finished runs kept in this browser (newest first), and stored records that could not be read. */
  history: { entries: HistoryEntry[]; unreadable: string[] };
  /** The label audit: its folds done while it runs, then its report. */
  audit: { report: AuditReport | null; folds: { done: number; total: number } | null; running: boolean };
  /** The run before the last one started: Results compare the two on the same test rows. */
  previousRun: RunSummary | null;
  error: ErrorReport | null;
}

/** What a run fills in: empty before the first run, and again when a new one starts. */
export const NO_RUN = {
  decision: null,
  probing: false,
  plan: null,
  progress: [],
  evaluations: [],
  classical: null,
  logs: [],
  run: null,
  lastSave: null,
  saveError: null,
  search: null,
} satisfies Partial<TrainerState>;

export const INITIAL: TrainerState = {
  backend: null,
  gpu: null,
  backendSetting: 'auto',
  model: null,
  table: null,
  profile: null,
  busy: 'starting',
  reading: null,
  history: { entries: [], unreadable: [] },
  download: null,
  status: 'idle',
  ...NO_RUN,
  lrFinder: null,
  saved: null,
  savedSearch: null,
  error: null,
  audit: { report: null, folds: null, running: false },
  previousRun: null,
};

/** Whether a run holds the Worker: data, model and settings must not change under it. */
export function isTraining(status: RunStatus): boolean {
  return status === 'running' || status === 'paused' || status === 'stopping';
}

/**
 * A run has finished and none trains now: its results lead the work column, and what the steps only show (the data
 * preview, the histograms) folds to a line.
 */
export function afterRun(s: Pick<TrainerState, 'run' | 'status'>): boolean {
  return s.run !== null && !isTraining(s.status);
}

/**
 * Whether the finished steps fold to their one-line summaries: while a run (or the learning-rate finder, or the
 * settings search) holds them, and after a run, so that the work beside them is read at a glance.
 */
export function stepsFold(s: Pick<TrainerState, 'run' | 'status'>): boolean {
  return isTraining(s.status) || afterRun(s);
}

/**
 * What the page locks. While a run trains, the data, the model and the settings it uses stay as they are; while a
 * model loads or a file is read, so do the settings. Another file may be chosen while one is read (it replaces
 * it), but not while a model loads or a run trains.
 */
export function locks(state: Pick<TrainerState, 'busy' | 'status'>) {
  const training = isTraining(state.status);
  return {
    busy: state.busy !== null || training,
    choosingLocked: (state.busy !== null && state.busy !== 'reading') || training,
  };
}

/** The state after one streamed event of a run, a profile, a model download or the learning-rate finder. Pure. */
export function applyEvent(s: TrainerState, e: WorkerEvent): TrainerState {
  switch (e.type) {
    case 'plan':
      return { ...s, plan: e.plan };
    case 'classical':
      return { ...s, classical: e.outcome };
    case 'progress':
      return { ...s, progress: [...s.progress, e.point] };
    case 'evaluation':
      return { ...s, evaluations: [...s.evaluations, e.point] };
    case 'log':
      return { ...s, logs: [...s.logs, e.message] };
    case 'saved':
      // A run that saves is the one to resume now, not the one found when the page opened.
      return { ...s, lastSave: { step: e.step, totalSteps: e.totalSteps }, saved: null };
    case 'saveFailed':
      return { ...s, saveError: e.message };
    case 'backend':
      return { ...s, backend: e.report };
    case 'reading':
      // The rows a run or a profile uses, read again from the chosen file; done when all is read.
      return {
        ...s,
        reading:
          e.read < e.total ? { file: s.table?.file ?? 'the file', read: e.read, total: e.total } : null,
      };
    case 'lrPoint':
      return { ...s, lrFinder: { points: [...(s.lrFinder?.points ?? []), e.point], result: null } };
    case 'download':
      return { ...s, download: { file: e.file, loaded: e.loaded, total: e.total } };
    case 'probeStep':
      return s;
    case 'searchTrial':
      return { ...s, search: withTrial(s.search ?? NO_SEARCH, e.trial) };
    case 'searchEvaluation':
      return { ...s, search: withEvaluation(s.search ?? NO_SEARCH, e.trial, e.point) };
    case 'auditFold':
      return { ...s, audit: { ...s.audit, folds: { done: e.done, total: e.total } } };
  }
}
