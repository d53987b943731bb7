/**
 * The one message protocol between the page and the compute Worker. `Calls` maps each request type to
 * its parameters and its reply, so the reply type follows from the request (WorkerClient.request and the
 * Worker's handler table are both typed by it). A call ends in one `reply` or one `error`; while it runs,
 * it may stream `event`s (download progress, training progress, evaluations, log lines).
 */
import type { BackendName, WasmBuild } from '../core/backend';
import type { AuditReport } from '../core/audit/report';
import type { AppliedChanges } from '../core/audit/changes';
import type { ClassicalOutcome, ModelComparison } from '../core/baseline/classical';
import type { DeviceFacts } from '../core/runtime/device';
import type { BackendDecision, ProbeJob, ProbeStep } from '../core/runtime/probe';
import type { BadRow, ColumnRoles } from '../core/data/dataset';
import type { RoleGuess } from '../core/data/guess';
import type { RowLimit } from '../core/data/rowLimit';
import type { DatasetProfile } from '../core/data/profile';
import type { LabelSpec, Prediction } from '../core/data/labels';
import type { ScoredExample } from '../core/metrics/analysis';
import type { SliceReport } from '../core/metrics/slices';
import type { Explanation } from '../core/explain/explanation';
import type { EmbeddingRecord, TextRow } from '../core/embed';
import type { ErrorReport } from '../core/errors';
import type { TrainConfig } from '../core/train/config';
import type { HistoryEntry } from '../core/train/history';
import type { LrFinderResult, LrPoint } from '../core/train/lrFinder';
import type { ProgressPoint } from '../core/train/progress';
import type { SchedulePlan } from '../core/train/schedule';
import type { EvalPoint } from '../core/train/evaluate';
import type { TrainResult } from '../core/train/trainer';
import type { SearchSummary } from '../core/train/record';
import type { TrialRecord } from '../core/search/trial';
import type { SearchSpace } from '../core/search/space';

/** What a run fine-tunes: the model loaded in the Worker, or a new one from scratch. */
export type BaseKind = 'loaded' | 'scratch';

/** Where a call's streamed events go, in the Worker. */
export type Emit = (e: WorkerEvent) => void;

export type ModelSourceSpec =
  | { kind: 'hub'; modelId: string; revision: string }
  | { kind: 'files'; files: Array<{ path: string; bytes: Uint8Array }> };

export interface ModelSummary {
  source: string;
  weightsFile: string;
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  hiddenAct: string;
  vocabSize: number;
  maxPositions: number;
  parameters: number;
  initialized: string[];
  unexpected: string[];
  /** Bytes read to load it (download size; 0 when every file came from the cache). */
  downloadedBytes: number;
  /** Bytes read in all, from the network or the cache. */
  totalBytes: number;
  /** Set when the checkpoint is a TabTune export: it can score text right away. */
  fineTuned: { task: string; labels?: string[] } | null;
}

export interface TableSummary {
  file: string;
  /** The file's size in bytes. */
  bytes: number;
  columns: string[];
  rows: number;
  preview: Array<Record<string, string>>;
  malformed: BadRow[];
  /** How the file was read, where the user should know (its encoding, renamed duplicate columns). */
  warnings: string[];
  guess: RoleGuess;
}

export interface RunSummary extends Pick<
  TrainResult,
  'reason' | 'message' | 'steps' | 'bestStep' | 'selectionMetric' | 'baseline' | 'final'
> {
  /** What the user should know of the run: the data's warnings, and why a metric was switched. */
  notes: string[];
  /** What the export leaves out and why (a LoRA run from scratch has no adapter/), or null. */
  exportNote: string | null;
  /** The settings search that chose this run's settings, when one did. */
  search: SearchSummary | null;
  spec: LabelSpec;
  /** The columns the model reads (its text, and the second text of pairs) and was trained on. */
  roles: ColumnRoles;
  /** The classical baseline (TF-IDF + a linear model) on the same split, or why there is none. */
  classical: ClassicalOutcome;
  /** The fine-tuned model against the baseline on the same rows, with the paired interval; null without one. */
  comparison: ModelComparison | null;
  data: {
    usable: number;
    badRows: BadRow[];
    train: number;
    validation: number;
    test: number;
    /** What a label audit's changes did to the training and validation rows, when the run had some. */
    labelChanges: AppliedChanges | null;
  };
  /** The held-out AUC per value of the slice column, when the roles name one. */
  slices: SliceReport | null;
  /** The held-out examples with their scores (the test split, or validation when there is no test split). */
  scored: { split: 'test' | 'validation'; examples: ScoredExample[] };
}

export interface BackendReport {
  backend: BackendName;
  activeBackend: string;
  skipped: Array<{ name: BackendName; reason: string }>;
  /** WASM: the threads it computes with; null for the other backends. */
  threads: number | null;
  /** WASM: which of TF.js's builds runs; null for the other backends. */
  wasmBuild: WasmBuild | null;
  /** The GPU behind WebGPU or WebGL (vendor, architecture, software or not, limits); null for WASM and CPU. */
  device: DeviceFacts | null;
}

/** A run saved in the browser that did not end (a reload, a crash, a lost device): what the studio offers to resume. */
/** What a person sets of a settings search: its time, and at most how many trials. */
export interface SearchSettings {
  budgetMinutes: number;
  maxTrials: number;
  /** What the trials may vary; null: the default space around the run's settings (`defaultSpace`). */
  space: SearchSpace | null;
}

/** A settings search saved in the browser that did not end, as the page shows it before it goes on. */
export interface SavedSearchSummary {
  dataFile: string;
  baseModel: string;
  trials: number;
  /** Trials that trained at least to the first rung. */
  trained: number;
  elapsedSeconds: number;
  budgetSeconds: number | null;
  /** The settings the trials vary and the columns: what the form shows while the search goes on. */
  config: TrainConfig;
  roles: ColumnRoles;
}

export interface SavedRunSummary {
  dataFile: string;
  step: number;
  totalSteps: number;
  savedAt: string;
  /** "scratch", or the source of the model it fine-tunes (which must be loaded again to resume). */
  baseModel: string;
  config: TrainConfig;
  roles: ColumnRoles;
}

/**
 * Every call of the studio: what the page sends, and what the Worker answers. The lab's calls (the benchmark, the
 * e2e tests' hooks) are not here: `lab/protocol.ts` adds them, and only the lab's Worker answers them.
 */
export interface Calls {
  init: {
    params: {
      backends?: BackendName[];
      wasmThreads?: number;
      /** TF.js flags set before the backend starts (the bench and GPU report measure WebGPU's settings this way). */
      flags?: Record<string, number | boolean>;
      /** The core count WASM is told (navigator.hardwareConcurrency), before it starts: how its threads are measured. */
      cores?: number;
    };
    reply: BackendReport;
  };
  load: { params: { source: ModelSourceSpec }; reply: ModelSummary };
  embed: { params: { rows: TextRow[]; maxLength: number }; reply: EmbeddingRecord[] };
  /**
   * The file, read in the Worker in chunks (never whole: a `File` is backed by disk) with the same parser as the
   * CLI's; `reading` events say how far it is. The Worker keeps its index, and reads the rows a run uses later.
   */
  table: { params: { file: string; blob: Blob }; reply: TableSummary };
  /** The rows a run with this row limit and seed would use, described. */
  profile: { params: { roles: ColumnRoles; rowLimit: RowLimit | null; seed: number }; reply: DatasetProfile };
  start: {
    params: {
      config: TrainConfig;
      roles: ColumnRoles;
      base: BaseKind;
      /** How the page chose the backend the run trains on (measured, by hand): said in the log, record and card. */
      backendDecision?: BackendDecision | null;
    };
    reply: RunSummary;
  };
  /**
   * The settings search on the data and model a run would use (core/search), within a time budget; the winner then
   * finishes as the run (Results, export, history, with the search attached). Aborting it ends the search: the
   * best trial so far becomes the run.
   */
  search: {
    params: {
      config: TrainConfig;
      roles: ColumnRoles;
      base: BaseKind;
      search: SearchSettings;
      backendDecision?: BackendDecision | null;
    };
    reply: RunSummary;
  };
  /** The settings search saved in the browser that did not end (a reload, a crash), if there is one. */
  savedSearch: { params: Record<string, never>; reply: SavedSearchSummary | null };
  /** Goes on with the saved search, on the loaded data and model (checked), then finishes its winner as the run. */
  resumeSearch: { params: Record<string, never>; reply: RunSummary };
  discardSearch: { params: Record<string, never>; reply: null };
  /**
   * The label audit of the rows a run would use (core/audit): the classical model cross-fitted in `folds` folds,
   * `auditFold` events after each; with `model`, a run's held-out predictions (line → score) averaged in. Aborting it
   * stops it between folds.
   */
  audit: {
    params: {
      roles: ColumnRoles;
      config: TrainConfig;
      folds: number;
      model: { line: number; score: number }[] | null;
    };
    reply: AuditReport;
  };
  /** The learning-rate range test on the same data and model a run would use; the weights stay as they were. */
  lrFind: {
    params: { config: TrainConfig; roles: ColumnRoles; base: BaseKind; steps: number };
    reply: LrFinderResult;
  };
  pause: { params: Record<string, never>; reply: null };
  resume: { params: Record<string, never>; reply: null };
  predict: { params: { rows: TextRow[] }; reply: Prediction[] };
  /** Why the scoring model gives `row` its score: integrated gradients over its tokens, and by word. */
  explain: { params: { row: TextRow }; reply: Explanation };
  export: { params: Record<string, never>; reply: { zip: Uint8Array; fileName: string } };
  clearCache: { params: Record<string, never>; reply: { files: number } };
  /**
   * Times training steps of the job's shape on this Worker's backend, one per entry of `batches` (its batch size),
   * as `probeStep` events: the probe, and a scout of a slow backend.
   */
  probe: { params: { job: ProbeJob; batches: number[] }; reply: null };
  /** The run saved in the browser that did not end, if there is one. */
  savedRun: { params: Record<string, never>; reply: SavedRunSummary | null };
  /** Goes on with the saved run, on the loaded data (checked by fingerprint) with its own settings. */
  resumeSaved: { params: Record<string, never>; reply: RunSummary };
  discardSaved: { params: Record<string, never>; reply: null };
  /** Every finished run kept in this browser, newest first, and the stored records that could not be read. */
  history: { params: Record<string, never>; reply: { entries: HistoryEntry[]; unreadable: string[] } };
  deleteRun: { params: { id: string }; reply: null };
}

/** A set of calls, each with its parameters and reply: the studio's `Calls`, or the lab's (`C extends CallMap<C>`). */
export type CallMap<C> = { [K in keyof C]: { params: unknown; reply: unknown } };

export type CallType = keyof Calls;
export type Params<K extends CallType> = Calls[K]['params'];
export type Reply<K extends CallType> = Calls[K]['reply'];

/** A call as it is sent. */
export type RequestOf<C extends CallMap<C>> = {
  [K in keyof C & string]: { type: K; id: number; params: C[K]['params'] };
}[keyof C & string];

/**
 * Cancels the call `id` (the page aborted its signal): a `table` or `profile` read stops at its next chunk, a `load`
 * stops its download, a `start`, `resumeSaved` or `lrFind` stops at its next step — a run then answers with what it
 * trained, as Stop always did. Every call still gets its answer.
 */
export type AbortRequest = { type: 'abort'; id: number };

/** What the page sends the Worker. */
export type PageMessage<C extends CallMap<C> = Calls> = RequestOf<C> | AbortRequest;

/** What a running call streams. */
export type WorkerEvent =
  | { type: 'download'; file: string; loaded: number; total: number | null }
  /** Bytes of the CSV file read so far. */
  | { type: 'reading'; read: number; total: number }
  | { type: 'plan'; plan: SchedulePlan }
  | { type: 'progress'; point: ProgressPoint }
  | { type: 'evaluation'; point: EvalPoint }
  | { type: 'classical'; outcome: ClassicalOutcome }
  | { type: 'lrPoint'; point: LrPoint }
  | { type: 'log'; message: string }
  /** The run's state was saved in the browser (it can be resumed from this step after a reload). */
  | { type: 'saved'; step: number; totalSteps: number }
  /** Saving failed (a full disk, a denied quota): training goes on without it. */
  | { type: 'saveFailed'; message: string }
  /** The backend changed mid-run (the WebGPU device was lost): what runs now. */
  | { type: 'backend'; report: BackendReport }
  /** One timed step of a probe. */
  | { type: 'probeStep'; step: ProbeStep }
  /** A search's trial, after each rung it finishes (its settings, scores, how far it went). */
  | { type: 'searchTrial'; trial: TrialRecord }
  /** A validation evaluation of a search's trial, for the live chart. */
  | { type: 'searchEvaluation'; trial: number; point: EvalPoint }
  /** A label audit's fold, predicted. */
  | { type: 'auditFold'; done: number; total: number };

export type WorkerMessage =
  | { type: 'reply'; id: number; reply: unknown }
  | { type: 'event'; id: number; event: WorkerEvent }
  | { type: 'error'; id: number; error: ErrorReport };
