/**
 * The one message protocol between the page and the compute Worker: a discriminated union per
 * direction. Every request carries an id; its final reply (or `error`) echoes it, and streamed events
 * (download, progress, evaluation, log) carry the id of the request that caused them.
 */
import type { BackendName } from '../core/backend';
import type { BenchOptions, BenchResult } from '../core/bench';
import type { BadRow, ColumnRoles } from '../core/data/dataset';
import type { RoleGuess } from '../core/data/guess';
import type { DatasetProfile } from '../core/data/profile';
import type { LabelSpec, Prediction } from '../core/data/labels';
import type { ScoredExample } from '../core/metrics/analysis';
import type { EmbeddingRecord, TextRow } from '../core/embed';
import type { TrainConfig } from '../core/train/config';
import type { EvalMetrics } from '../core/train/evaluate';
import type { EvalPoint, ProgressPoint, StopReason } from '../core/train/trainer';

export type ModelSourceSpec =
  | { kind: 'hub'; modelId: string; revision: string }
  | { kind: 'files'; files: Array<{ path: string; bytes: Uint8Array }> };

export type WorkerRequest =
  | { type: 'init'; id: number; backends?: BackendName[] }
  | { type: 'load'; id: number; source: ModelSourceSpec }
  | { type: 'embed'; id: number; rows: TextRow[]; maxLength: number }
  | { type: 'table'; id: number; file: string; text: string }
  | { type: 'profile'; id: number; roles: ColumnRoles }
  | { type: 'start'; id: number; config: TrainConfig; roles: ColumnRoles; base: 'loaded' | 'scratch' }
  | { type: 'pause'; id: number }
  | { type: 'resume'; id: number }
  | { type: 'stop'; id: number }
  | { type: 'predict'; id: number; rows: TextRow[] }
  | { type: 'export'; id: number }
  | { type: 'clearCache'; id: number }
  | { type: 'cancelLoad'; id: number }
  | { type: 'bench'; id: number; options: BenchOptions };

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
  fineTuned: { task: string } | null;
}

export interface TableSummary {
  file: string;
  columns: string[];
  rows: number;
  preview: Array<Record<string, string>>;
  malformed: BadRow[];
  guess: RoleGuess;
}

export interface RunSummary {
  reason: StopReason;
  message: string;
  steps: number;
  bestStep: number | null;
  spec: LabelSpec;
  baseline: { validation: EvalMetrics; test: EvalMetrics | null };
  final: { validation: EvalMetrics; test: EvalMetrics | null };
  data: { usable: number; badRows: BadRow[]; train: number; validation: number; test: number };
  /** The held-out examples with their scores (the test split, or validation when there is no test split). */
  scored: { split: 'test' | 'validation'; examples: ScoredExample[] };
}

export type WorkerReply =
  | {
      type: 'ready';
      id: number;
      backend: BackendName;
      activeBackend: string;
      skipped: Array<{ name: BackendName; reason: string }>;
    }
  | { type: 'download'; id: number; file: string; loaded: number; total: number | null }
  | { type: 'loaded'; id: number; model: ModelSummary }
  | { type: 'embedded'; id: number; records: EmbeddingRecord[] }
  | { type: 'tableParsed'; id: number; table: TableSummary }
  | { type: 'profiled'; id: number; profile: DatasetProfile }
  | { type: 'progress'; id: number; point: ProgressPoint }
  | { type: 'evaluation'; id: number; point: EvalPoint }
  | { type: 'log'; id: number; message: string }
  | { type: 'done'; id: number; run: RunSummary }
  | { type: 'ack'; id: number }
  | { type: 'cacheCleared'; id: number; files: number }
  | { type: 'predicted'; id: number; predictions: Prediction[] }
  | { type: 'exported'; id: number; zip: Uint8Array; fileName: string }
  | { type: 'benched'; id: number; result: BenchResult }
  | { type: 'error'; id: number; message: string };

/** Replies that stream while a request runs; every other reply ends it. */
export const STREAMED: ReadonlySet<WorkerReply['type']> = new Set([
  'download',
  'progress',
  'evaluation',
  'log',
]);
