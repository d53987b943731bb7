/**
 * The one message protocol between the UI thread and the compute Worker. A discriminated union per
 * direction; every request carries an id that its reply (or error) echoes.
 */
import type { BackendName } from '../core/backend';
import type { EmbeddingRecord, TextRow } from '../core/embed';

export type ModelSourceSpec =
  | { kind: 'hub'; modelId: string; revision: string }
  | { kind: 'files'; files: Array<{ path: string; bytes: Uint8Array }> };

export type WorkerRequest =
  | { type: 'init'; id: number; backends?: BackendName[] }
  | { type: 'load'; id: number; source: ModelSourceSpec }
  | { type: 'embed'; id: number; rows: TextRow[]; maxLength: number };

export interface ModelSummary {
  source: string;
  weightsFile: string;
  layers: number;
  hidden: number;
  heads: number;
  hiddenAct: string;
  vocabSize: number;
  maxPositions: number;
  parameters: number;
  initialized: string[];
  unexpected: string[];
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
  | { type: 'error'; id: number; message: string };
