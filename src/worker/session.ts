import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import { cacheStorage, clearCacheStorage } from './cache';
import { BROWSER_BACKENDS, chooseBackend, type BackendName } from '../core/backend';
import { runBenchmark, type BenchOptions } from '../core/bench';
import { loadCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/load';
import { filesSource, hubSource, type DownloadProgress } from '../core/checkpoint/source';
import { parseCsv, requireColumn, type CsvTable } from '../core/data/csv';
import { buildDataset } from '../core/data/dataset';
import { profileDataset } from '../core/data/profile';
import { guessRoles } from '../core/data/guess';
import { numLabels, type LabelSpec, type Prediction } from '../core/data/labels';
import { embedRows, type EmbeddingRecord, type TextRow } from '../core/embed';
import { TabTuneError } from '../core/errors';
import { BertModel } from '../core/model/bert';
import { SequenceClassifier } from '../core/model/classifier';
import { scratchCheckpoint } from '../core/model/scratch';
import { validateTrainConfig, type TrainConfig } from '../core/train/config';
import { predictAll } from '../core/train/evaluate';
import { exportFiles, labelSpecFromConfig, type RunRecord } from '../core/train/export';
import { dataRecord, prepareData } from '../core/train/prepare';
import { train, type RunControl } from '../core/train/trainer';
import type { ColumnRoles } from '../core/data/dataset';
import type {
  ModelSourceSpec,
  ModelSummary,
  RunSummary,
  TableSummary,
  WorkerReply,
} from '../shared/protocol';

type Post = (m: WorkerReply) => void;

/** Held-out examples sent back with their scores, for the ROC curve, scatter plot and worst errors. */
const MAX_SCORED = 5000;

/** A yield to the event loop, so pause/stop messages are handled between training steps. */
const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

/** Everything the compute Worker holds: backend, checkpoint, data table, the model being trained. */
export class Session {
  private backend: BackendName = 'cpu';
  private base: LoadedCheckpoint | null = null;
  private encoder: BertModel | null = null;
  private table: { file: string; csv: CsvTable } | null = null;
  private trained: {
    model: SequenceClassifier;
    spec: LabelSpec;
    ckpt: LoadedCheckpoint;
    run: RunRecord | null;
    maxLength: number;
  } | null = null;
  private loadAbort: AbortController | null = null;
  private paused = false;
  private stopRequested = false;
  private training = false;

  constructor(private readonly post: Post) {}

  async init(id: number, backends?: BackendName[]) {
    const choice = await chooseBackend(backends ?? BROWSER_BACKENDS);
    this.backend = choice.name;
    this.post({
      type: 'ready',
      id,
      backend: choice.name,
      activeBackend: tf.getBackend(),
      skipped: choice.skipped,
    });
  }

  async load(id: number, spec: ModelSourceSpec) {
    this.assertIdle();
    let downloaded = 0;
    let total = 0;
    const abort = new AbortController();
    this.loadAbort = abort;
    const inner =
      spec.kind === 'hub'
        ? hubSource(
            spec.modelId,
            spec.revision,
            (url) => fetch(url, { signal: abort.signal }),
            cacheStorage(),
          )
        : filesSource(
            unzipIfArchive(spec.files),
            spec.files.length === 1 ? spec.files[0]!.path : 'dropped files',
          );
    // Count what is read, and what of it came over the network rather than the cache.
    const source = {
      description: inner.description,
      read: async (file: string, onProgress?: (p: DownloadProgress) => void) => {
        let fromNetwork = true;
        const bytes = await inner.read(file, (p) => {
          if (p.cached) fromNetwork = false;
          onProgress?.(p);
        });
        if (bytes) {
          total += bytes.byteLength;
          if (spec.kind === 'hub' && fromNetwork) downloaded += bytes.byteLength;
        }
        return bytes;
      },
    };
    const ckpt = await loadCheckpoint(source, (p) => this.post({ type: 'download', id, ...p })).finally(
      () => {
        this.loadAbort = null;
      },
    );
    this.encoder?.dispose();
    this.encoder = null;
    this.base = ckpt;
    // A TabTune export can score text at once: keep it as the trained model.
    let fineTuned: ModelSummary['fineTuned'] = null;
    if (ckpt.rawConfig.tabtune !== undefined && ckpt.report.classifierLabels !== null) {
      const { spec: labelSpec } = labelSpecFromConfig(ckpt.rawConfig, ckpt.source);
      this.setTrained(
        new SequenceClassifier(ckpt.config, ckpt.weights, numLabels(labelSpec)),
        labelSpec,
        ckpt,
        null,
        ckpt.tokenizerConfig.model_max_length ?? 128,
      );
      fineTuned = { task: labelSpec.task };
    }
    this.post({
      type: 'loaded',
      id,
      model: { ...summarize(ckpt, fineTuned), downloadedBytes: downloaded, totalBytes: total },
    });
  }

  async embed(id: number, rows: TextRow[], maxLength: number) {
    if (!this.base) throw new TabTuneError('usage', 'Load a model first.');
    this.encoder ??= new BertModel(this.base.config, this.base.weights);
    const records: EmbeddingRecord[] = [];
    for await (const r of embedRows(this.encoder, this.base.tokenizer, rows, { maxLength, batchSize: 16 }))
      records.push(r);
    this.post({ type: 'embedded', id, records });
  }

  parseTable(id: number, file: string, text: string) {
    const csv = parseCsv(text, file);
    this.table = { file, csv };
    const summary: TableSummary = {
      file,
      columns: csv.columns,
      rows: csv.rows.length,
      preview: csv.rows.slice(0, 8).map((r) => r.values),
      malformed: csv.malformed,
      guess: guessRoles(csv),
    };
    this.post({ type: 'tableParsed', id, table: summary });
  }

  profile(id: number, roles: ColumnRoles) {
    if (!this.table) throw new TabTuneError('usage', 'Choose a CSV file first.');
    for (const c of [roles.text, roles.label, ...(roles.pair ? [roles.pair] : [])])
      requireColumn(this.table.csv, c, this.table.file);
    const ds = buildDataset(this.table.csv, roles, this.table.file);
    this.post({ type: 'profiled', id, profile: profileDataset(ds, this.base?.tokenizer ?? null) });
  }

  async start(id: number, config: TrainConfig, roles: ColumnRoles, baseKind: 'loaded' | 'scratch') {
    this.assertIdle();
    validateTrainConfig(config);
    if (!this.table) throw new TabTuneError('usage', 'Choose a CSV file first.');
    const data = prepareData(this.table.csv, roles, this.table.file, config);
    const ckpt =
      baseKind === 'scratch'
        ? scratchCheckpoint(data.train.map((e) => `${e.text} ${e.pair ?? ''}`))
        : this.base;
    if (!ckpt) throw new TabTuneError('usage', 'Load a model first, or choose "from scratch".');
    const maxLength = Math.min(config.maxLength, ckpt.config.max_position_embeddings);
    const runConfig = { ...config, maxLength };
    const model = new SequenceClassifier(ckpt.config, ckpt.weights, numLabels(data.spec), config.seed);
    this.training = true;
    this.paused = false;
    this.stopRequested = false;
    const control: RunControl = {
      shouldStop: () => this.stopRequested,
      waitIfPaused: async () => {
        await nextTask();
        while (this.paused && !this.stopRequested) await new Promise((r) => setTimeout(r, 50));
      },
    };
    try {
      const result = await train({
        model,
        tokenizer: ckpt.tokenizer,
        config: runConfig,
        spec: data.spec,
        train: data.train,
        validation: data.validation,
        test: data.test,
        // WASM has no native gather gradient, but TabTune's embedding lookup brings its own.
        embeddingGradients: true,
        control,
        events: {
          progress: (point) => this.post({ type: 'progress', id, point }),
          evaluation: (point) => this.post({ type: 'evaluation', id, point }),
          log: (message) => this.post({ type: 'log', id, message }),
        },
      });
      const run: RunRecord = {
        baseModel: ckpt.source,
        roles,
        trainConfig: runConfig,
        spec: data.spec,
        data: dataRecord(data, this.table.file),
        result,
        backend: this.backend,
        createdAt: new Date().toISOString(),
      };
      this.setTrained(model, data.spec, ckpt, run, maxLength);
      const heldOut = data.test.length > 0 ? data.test : data.validation;
      const shown = heldOut.slice(0, MAX_SCORED);
      const predictions = await predictAll(
        model,
        data.spec,
        shown.map((e) => ckpt.tokenizer.encode(e.text, e.pair, maxLength)),
        ckpt.tokenizer.padId,
        32,
      );
      const scored = shown.map((e, i) => {
        const p = predictions[i] as Prediction;
        return { line: e.line, text: e.text, rating: e.rating, score: p.score, rankScore: p.rankScore };
      });
      const summary: RunSummary = {
        reason: result.reason,
        message: result.message,
        steps: result.steps,
        bestStep: result.bestStep,
        spec: data.spec,
        baseline: result.baseline,
        final: result.final,
        data: {
          usable: data.dataset.examples.length,
          badRows: data.dataset.badRows,
          train: data.train.length,
          validation: data.validation.length,
          test: data.test.length,
        },
        scored: { split: data.test.length > 0 ? 'test' : 'validation', examples: scored },
      };
      this.post({ type: 'done', id, run: summary });
    } catch (e) {
      model.dispose();
      throw e;
    } finally {
      this.training = false;
    }
  }

  control(id: number, action: 'pause' | 'resume' | 'stop') {
    if (action === 'pause') this.paused = true;
    if (action === 'resume') this.paused = false;
    if (action === 'stop') this.stopRequested = true;
    this.post({ type: 'ack', id });
  }

  async predict(id: number, rows: TextRow[]) {
    const t = this.requireTrained();
    const encoded = rows.map((r) => t.ckpt.tokenizer.encode(r.text, r.pair, t.maxLength));
    const predictions = await predictAll(t.model, t.spec, encoded, t.ckpt.tokenizer.padId, 32);
    this.post({ type: 'predicted', id, predictions });
  }

  async exportZip(id: number) {
    const t = this.requireTrained();
    if (!t.run)
      throw new TabTuneError(
        'usage',
        'This model was loaded, not trained here; there is nothing new to export.',
      );
    const files = await exportFiles(
      t.model,
      t.ckpt.rawConfig,
      t.ckpt.tokenizerFiles,
      t.ckpt.tokenizerConfig,
      t.run,
    );
    const zip = zipSync(
      Object.fromEntries([...files].map(([name, bytes]) => [`tabtune-model/${name}`, bytes])),
      { level: 6 },
    );
    this.post({ type: 'exported', id, zip, fileName: 'tabtune-model.zip' });
  }

  cancelLoad(id: number) {
    this.loadAbort?.abort();
    this.post({ type: 'ack', id });
  }

  async clearCache(id: number) {
    this.post({ type: 'cacheCleared', id, files: await clearCacheStorage() });
  }

  async bench(id: number, options: BenchOptions) {
    this.assertIdle();
    this.post({ type: 'benched', id, result: await runBenchmark(options) });
  }

  private setTrained(
    model: SequenceClassifier,
    spec: LabelSpec,
    ckpt: LoadedCheckpoint,
    run: RunRecord | null,
    maxLength: number,
  ) {
    this.trained?.model.dispose();
    this.trained = { model, spec, ckpt, run, maxLength };
  }

  private requireTrained() {
    if (!this.trained) throw new TabTuneError('usage', 'Train a model (or load a TabTune export) first.');
    return this.trained;
  }

  private assertIdle() {
    if (this.training) throw new TabTuneError('usage', 'A training run is in progress; stop it first.');
  }
}

/** A dropped .zip (a TabTune export) is unpacked; other files pass through. */
function unzipIfArchive(files: Array<{ path: string; bytes: Uint8Array }>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const f of files) {
    if (!f.path.toLowerCase().endsWith('.zip')) {
      out.set(f.path, f.bytes);
      continue;
    }
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(f.bytes);
    } catch {
      throw new TabTuneError(
        'checkpoint',
        `${f.path} is not a readable zip archive. Export the model from TabTune again.`,
      );
    }
    for (const [name, bytes] of Object.entries(entries)) if (!name.endsWith('/')) out.set(name, bytes);
  }
  return out;
}

function summarize(
  ckpt: LoadedCheckpoint,
  fineTuned: ModelSummary['fineTuned'],
): Omit<ModelSummary, 'downloadedBytes' | 'totalBytes'> {
  let parameters = 0;
  for (const w of ckpt.weights.values()) parameters += w.data.length;
  const c = ckpt.config;
  return {
    source: ckpt.source,
    weightsFile: ckpt.weightsFile,
    layers: c.num_hidden_layers,
    hidden: c.hidden_size,
    heads: c.num_attention_heads,
    intermediate: c.intermediate_size,
    hiddenAct: c.hidden_act,
    vocabSize: c.vocab_size,
    maxPositions: c.max_position_embeddings,
    parameters,
    initialized: ckpt.report.initialized,
    unexpected: ckpt.report.unexpected,
    fineTuned,
  };
}
