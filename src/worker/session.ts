import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import { cacheStorage, clearCacheStorage } from './cache';
import { memoryRunStore, type RunStore } from './runStore';
import { memoryRunHistory, type RunHistory } from './runHistory';
import { historyEntry } from '../core/train/history';
import { applyAdapter, readAdapter } from '../core/train/adapter';
import { BROWSER_BACKENDS, chooseBackend, type BackendName } from '../core/backend';
import { describeBackend } from '../core/backendLabel';
import { runBenchmark } from '../core/bench';
import { loadCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/load';
import { filesSource, hubSource, type CheckpointSource } from '../core/checkpoint/source';
import { requireColumn, type CsvTable } from '../core/data/csv';
import { blobSource, type ByteSource } from '../core/data/csvStream';
import type { RowLimit } from '../core/data/rowLimit';
import { indexCsv, readRows, type TableIndex } from '../core/data/tableIndex';
import { buildDataset, type ColumnRoles } from '../core/data/dataset';
import { guessRoles } from '../core/data/guess';
import { numLabels, type LabelSpec } from '../core/data/labels';
import { profileDataset } from '../core/data/profile';
import { embedRows } from '../core/embed';
import { isTabTuneError, TabTuneError } from '../core/errors';
import { GpuFailure, GpuHealth, webgpuDevice } from './gpuHealth';
import { deviceFacts } from './deviceFacts';
import { deviceName } from '../core/runtime/device';
import { probeSteps } from '../core/runtime/probeSteps';
import { describeDecision, type BackendDecision } from '../core/runtime/probe';
import { BertModel } from '../core/model/bert';
import type { SequenceClassifier } from '../core/model/classifier';
import { predictAll } from '../core/train/evaluate';
import {
  exportFiles,
  labelSpecFromConfig,
  type RunRecord,
  type TabTuneConfigBlock,
} from '../core/train/export';
import {
  effectiveMaxLength,
  loadFineTuned,
  runLrFinder,
  runTraining,
  scoreHeldOut,
  type FinishedRun,
  type RunRequest,
} from '../core/train/run';
import { LR_FINDER, type LrFinderResult } from '../core/train/lrFinder';
import {
  dataFingerprint,
  decodeRunState,
  encodeRunState,
  runStateInfo,
  type RunState,
  type RunStateInfo,
} from '../core/train/runState';
import type { TrainConfig } from '../core/train/config';
import type { RunControl } from '../core/train/trainer';
import type {
  BackendReport,
  CallType,
  ModelSourceSpec,
  ModelSummary,
  Params,
  Reply,
  RunSummary,
  SavedRunSummary,
  TableSummary,
  WorkerEvent,
  WorkerRequest,
} from '../shared/protocol';

type Emit = (e: WorkerEvent) => void;

/** Held-out examples sent back with their scores, for the ROC curve, scatter plot and worst errors. */
const MAX_SCORED = 5000;

/** Seconds between time-based saves of a run's state (there is one after every evaluation as well). */
const CHECKPOINT_EVERY = 120;

/** A yield to the event loop, so pause/stop messages are handled between training steps. */
const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

/** The model that scores text now: trained here (with its run record) or a loaded TabTune export. */
interface Scorer {
  model: SequenceClassifier;
  spec: LabelSpec;
  ckpt: LoadedCheckpoint;
  run: RunRecord | null;
  maxLength: number;
}

/** Everything the compute Worker holds: backend, checkpoint, data table, the model that scores. */
export class Session {
  /** The backend as the run record names it, e.g. "wasm (4 threads)". */
  private backend = 'cpu';
  private base: LoadedCheckpoint | null = null;
  private encoder: BertModel | null = null;
  /** The chosen file: what its first read found, and the rows last read for a run (by columns and row limit). */
  private table: {
    index: TableIndex;
    source: ByteSource;
    rows: { key: string; csv: CsvTable } | null;
  } | null = null;
  /** Reads of the file are numbered as they are asked for; "Stop reading" stops every one asked for until then. */
  private readsAsked = 0;
  private readsCancelled = 0;
  private reads: Promise<unknown> = Promise.resolve();
  private scorer: Scorer | null = null;
  private loadAbort: AbortController | null = null;
  private paused = false;
  private stopRequested = false;
  private training = false;
  /** The backends init was asked to try, in order: where a run goes when its device is lost. */
  private order: readonly BackendName[] = BROWSER_BACKENDS;
  /** Whether the GPU backend that runs (WebGPU, WebGL) still does its work: a lost device, refused work. */
  private readonly health = new GpuHealth();
  /**
   * Each run's number: a run given up on after its GPU was lost (it may still be waiting on that GPU) sees a newer
   * number, stops at its next step, and its events are dropped.
   */
  private generation = 0;
  /** When the running run was created, to tell its saved states from an older run's. */
  private savedRun: string | null = null;

  /** `store`: where a run's state is saved while it trains; `history`: where finished runs are kept (OPFS in the Worker). */
  constructor(
    private readonly store: RunStore = memoryRunStore(),
    private readonly history: RunHistory = memoryRunHistory(),
  ) {}

  /** Runs one call and returns its reply; the handler table is typed by the protocol's `Calls`. */
  handle(req: WorkerRequest, emit: Emit): Promise<Reply<CallType>> {
    const handlers: { [K in CallType]: (p: Params<K>) => Promise<Reply<K>> | Reply<K> } = {
      init: (p) => this.init(p),
      load: (p) => this.load(p.source, emit),
      embed: (p) => this.embed(p.rows, p.maxLength),
      table: (p) => this.parseTable(p.file, p.blob, emit),
      cancelTable: () => ((this.readsCancelled = this.readsAsked), null),
      profile: (p) => this.profile(p.roles, p.rowLimit, p.seed, emit),
      start: (p) => this.start(p.config, p.roles, p.base, emit, null, p.backendDecision ?? null),
      lrFind: (p) => this.lrFind(p.config, p.roles, p.base, p.steps, emit),
      pause: () => this.control('pause'),
      resume: () => this.control('resume'),
      stop: () => this.control('stop'),
      predict: (p) => this.predict(p.rows),
      export: () => this.exportZip(),
      clearCache: async () => ({ files: await clearCacheStorage() }),
      cancelLoad: () => (this.loadAbort?.abort(), null),
      bench: (p) => (this.assertIdle(), runBenchmark(p.options)),
      probe: async (p) => {
        this.assertIdle();
        await probeSteps(p.job, p.steps, (step) => emit({ type: 'probeStep', step }));
        return null;
      },
      savedRun: async () => summarizeSaved((await this.newestSaved())?.info ?? null),
      resumeSaved: () => this.resumeSaved(emit),
      discardSaved: async () => (this.assertIdle(), await this.store.clear(), null),
      loseDevice: () => (this.health.lose(), null),
      // An invalid buffer (usage 0): WebGPU reports it as an uncaptured validation error, as it would a refused kernel.
      gpuError: () => (webgpuDevice()?.createBuffer({ size: 4, usage: 0 }), null),
      history: () => this.history.list(),
      deleteRun: async (p) => (await this.history.remove(p.id), null),
    };
    const run = handlers[req.type] as (p: Params<CallType>) => Promise<Reply<CallType>> | Reply<CallType>;
    return Promise.resolve().then(() => run(req.params));
  }

  private async init(p: Params<'init'>): Promise<BackendReport> {
    this.assertIdle();
    this.order = p.backends ?? BROWSER_BACKENDS;
    for (const [flag, value] of Object.entries(p.flags ?? {})) tf.env().set(flag, value);
    // TF.js's WASM takes min(8, cores / 2) threads from the cores it is told of; only before WASM first starts.
    if (p.cores !== undefined)
      Object.defineProperty(navigator, 'hardwareConcurrency', { value: p.cores, configurable: true });
    return this.useBackend(await chooseBackend(this.order, p.wasmThreads ?? null));
  }

  /** Takes `choice` as the backend runs use, and watches a GPU backend's health. */
  private async useBackend(choice: Awaited<ReturnType<typeof chooseBackend>>): Promise<BackendReport> {
    this.health.watch();
    const device = await deviceFacts();
    // The run record, its log, training_config.json and the model card name the device too ("webgpu on …").
    this.backend = `${describeBackend(choice.name, choice.threads)}${device ? ` on ${deviceName(device)}` : ''}`;
    return {
      backend: choice.name,
      activeBackend: tf.getBackend(),
      skipped: choice.skipped,
      threads: choice.threads,
      wasmBuild: choice.wasmBuild,
      device,
    };
  }

  private async load(spec: ModelSourceSpec, emit: Emit): Promise<ModelSummary> {
    this.assertIdle();
    // A dropped zip is unpacked once: for the adapter check and, if it is a checkpoint, for loading it.
    const dropped = spec.kind === 'files' ? unzipIfArchive(spec.files) : null;
    if (dropped) {
      const names = new Map([...dropped].map(([p, b]) => [p.split('/').pop() as string, b]));
      if (names.has('adapter_config.json') && !names.has('config.json')) return this.loadAdapter(names);
    }
    const abort = new AbortController();
    this.loadAbort = abort;
    const counted = countingSource(
      spec.kind === 'hub'
        ? hubSource(
            spec.modelId,
            spec.revision,
            (url) => fetch(url, { signal: abort.signal }),
            cacheStorage(),
          )
        : filesSource(dropped!, spec.files.length === 1 ? spec.files[0]!.path : 'dropped files'),
    );
    const ckpt = await loadCheckpoint(counted.source, (p) => emit({ type: 'download', ...p })).finally(() => {
      this.loadAbort = null;
    });
    this.encoder?.dispose();
    this.encoder = null;
    this.base = ckpt;
    // A TabTune export can score text at once: keep it as the scoring model.
    let fineTuned: ModelSummary['fineTuned'] = null;
    if (ckpt.rawConfig.tabtune !== undefined) {
      const f = loadFineTuned(ckpt);
      this.setScorer({ model: f.model, spec: f.spec, ckpt, run: null, maxLength: f.maxLength });
      fineTuned = { task: f.spec.task };
    }
    const downloadedBytes = spec.kind === 'hub' ? counted.fromNetwork() : 0;
    return { ...summarize(ckpt, fineTuned), downloadedBytes, totalBytes: counted.total() };
  }

  /**
   * A PEFT LoRA adapter folder, applied to the loaded base model; it scores text at once. The ratings its outputs
   * stand for come from TabTune's block in the adapter (or in the base model, when that is a TabTune export).
   */
  private loadAdapter(files: Map<string, Uint8Array>): ModelSummary {
    const base = this.base;
    if (!base)
      throw new TabTuneError(
        'usage',
        'An adapter applies to its base model: load the model it was trained on first (above), then the adapter folder.',
      );
    const adapter = readAdapter(files, base);
    const block = adapter.tabtune ?? (base.rawConfig.tabtune as TabTuneConfigBlock | undefined);
    if (!block)
      throw new TabTuneError(
        'checkpoint',
        'The adapter carries no TabTune label block (it was not trained by TabTune), so its outputs cannot be turned into ratings. Fine-tune it in TabTune, or score it with PEFT.',
      );
    const { spec } = labelSpecFromConfig({ tabtune: block }, 'the adapter');
    if (numLabels(spec) !== adapter.head.weight.shape[0])
      throw new TabTuneError(
        'checkpoint',
        `The adapter's head has ${adapter.head.weight.shape[0]} output(s), but its ${spec.task} task needs ${numLabels(spec)}. Export the adapter again.`,
      );
    const model = applyAdapter(base, adapter);
    const maxLength = effectiveMaxLength(
      adapter.maxLength ?? base.tokenizerConfig.model_max_length ?? 128,
      base,
    );
    this.setScorer({ model, spec, ckpt: base, run: null, maxLength });
    let bytes = 0;
    for (const b of files.values()) bytes += b.byteLength;
    return {
      ...summarize(base, { task: spec.task }),
      source: `${base.source} + LoRA adapter (r ${adapter.lora.r}, ${adapter.lora.targets.join(', ')})`,
      weightsFile: 'adapter_model.safetensors',
      downloadedBytes: 0,
      totalBytes: bytes,
    };
  }

  private async embed(rows: Params<'embed'>['rows'], maxLength: number) {
    if (!this.base) throw new TabTuneError('usage', 'Load a model first.');
    this.encoder ??= new BertModel(this.base.config, this.base.weights);
    const records = [];
    for await (const r of embedRows(this.encoder, this.base.tokenizer, rows, { maxLength, batchSize: 16 }))
      records.push(r);
    this.assertGpuTrusted();
    return records;
  }

  /**
   * Reads the file once, in chunks, keeping its index (not its rows); progress streams as `reading` events. Files
   * are read one at a time, in the order chosen, so the last one chosen is the one kept.
   */
  private parseTable(file: string, blob: Blob, emit: Emit): Promise<TableSummary> {
    return this.inTurn((ticket) => this.readTable(file, blob, emit, ticket));
  }

  /** Runs one read of a file after the reads asked for before it (the page's last request is the last answered). */
  private inTurn<T>(read: (ticket: number) => Promise<T>): Promise<T> {
    const ticket = ++this.readsAsked; // numbered when asked, so "Stop reading" also stops the queued ones
    const next = this.reads.then(() => read(ticket));
    this.reads = next.catch(() => undefined);
    return next;
  }

  private async readTable(file: string, blob: Blob, emit: Emit, ticket: number): Promise<TableSummary> {
    this.assertIdle();
    const source = blobSource(blob);
    const index = await indexCsv(source, file, this.reading(emit, ticket));
    this.table = { index, source, rows: null };
    return {
      file,
      bytes: blob.size,
      columns: index.columns,
      rows: index.count,
      preview: index.head.slice(0, 8).map((r) => r.values),
      malformed: index.malformed,
      warnings: index.warnings,
      guess: guessRoles({ ...index, rows: index.head }),
    };
  }

  /** Progress events, and the stop: a read asked for before "Stop reading" was pressed stops at its next chunk. */
  private reading(emit: Emit, ticket: number) {
    return {
      progress: (read: number, total: number) => emit({ type: 'reading', read, total }),
      cancelled: () => ticket <= this.readsCancelled,
    };
  }

  /**
   * The rows a run (or a profile) uses, with the columns its roles name, read again from the file when the
   * columns or the row limit changed since the last read.
   */
  private async tableFor(
    roles: ColumnRoles,
    limit: RowLimit | null,
    seed: number,
    emit: Emit,
    ticket: number,
  ) {
    if (!this.table) throw new TabTuneError('usage', 'Choose a CSV file first.');
    const t = this.table;
    const columns = [roles.text, roles.label, roles.pair, roles.group].filter((c): c is string => !!c);
    for (const c of columns) requireColumn({ ...t.index, rows: [] }, c, t.index.file);
    const key = JSON.stringify({ columns, limit, seed: limit?.pick === 'random' ? seed : null });
    if (t.rows?.key !== key) {
      t.rows = null; // the old rows go before the new ones are read
      const csv = await readRows(t.index, t.source, columns, limit, seed, this.reading(emit, ticket));
      t.rows = { key, csv };
    }
    return { table: t.rows.csv, file: t.index.file };
  }

  private async profile(roles: ColumnRoles, limit: RowLimit | null, seed: number, emit: Emit) {
    this.assertIdle();
    const { table, file } = await this.inTurn((ticket) => this.tableFor(roles, limit, seed, emit, ticket));
    const ds = buildDataset(table, roles, file);
    return profileDataset(ds, this.base?.tokenizer ?? null);
  }

  private async start(
    config: TrainConfig,
    roles: ColumnRoles,
    baseKind: 'loaded' | 'scratch',
    emit: Emit,
    resume: RunState | null = null,
    decision: BackendDecision | null = null,
  ): Promise<RunSummary> {
    const started = new Date();
    const mine = ++this.generation;
    const current = () => mine === this.generation;
    const runEmit: Emit = (e) => current() && emit(e);
    try {
      return await this.holding(config, roles, baseKind, runEmit, current, async (request) => {
        if (decision) runEmit({ type: 'log', message: `Backend: ${describeDecision(decision)}.` });
        this.savedRun = resume?.createdAt ?? null;
        const save = this.saver(runEmit);
        const run = await this.health.orLost(
          runTraining({
            ...request,
            resume,
            backendDecision: decision ? describeDecision(decision) : null,
            checkpointEvery: CHECKPOINT_EVERY,
            events: {
              ...request.events,
              plan: (plan) => runEmit({ type: 'plan', plan }),
              progress: (point) => runEmit({ type: 'progress', point }),
              evaluation: (point) => runEmit({ type: 'evaluation', point }),
              classical: (outcome) => runEmit({ type: 'classical', outcome }),
              saveState: (state) => (current() ? save(state) : undefined),
              // The loss points and evaluations a resumed run made before it was saved, for the charts.
              resumed: (saved) => {
                saved.train.progress.forEach((point) => runEmit({ type: 'progress', point }));
                saved.train.history.forEach((point) => runEmit({ type: 'evaluation', point }));
              },
            },
          }),
        );
        // A lost device reads back garbage rather than failing: a run that saw it ended for that reason.
        const failure = this.health.failure();
        if (failure) {
          disposeQuietly(run.model);
          throw failure;
        }
        // The run ended (completed, stopped, early-stopped or NaN): nothing is left to resume.
        await this.store.clear().catch(() => undefined);
        return this.finish(run, started);
      });
    } catch (e) {
      // A refusal of the user's input (TabTuneError) is never the device's: it is reported at once. Any other error
      // may be the GPU's (a lost device fails a read; a lost WebGL context fails every shader's compilation).
      const failure = isTabTuneError(e) ? null : await this.health.explain(e);
      if (!failure) throw e;
      this.generation++; // the run given up on, if it still waits on the lost GPU, stops and says nothing more
      return this.afterGpuFailure(failure, emit, { config, roles, baseKind });
    }
  }

  /**
   * The GPU failed mid-run (a WebGPU device or WebGL context lost, a shader WebGL refused): take the next backend
   * of the order, and go on with the run from its last saved state (or from the start when it had not saved one
   * yet). Tensors on the lost device are gone; the state is on the host, and the model that scored before is
   * dropped. When WebGPU refused some of the run's work silently instead, no saved state can be trusted (it may
   * hold numbers computed after that): the run starts again from the beginning.
   */
  private async afterGpuFailure(
    failure: GpuFailure,
    emit: Emit,
    run: { config: TrainConfig; roles: ColumnRoles; baseKind: 'loaded' | 'scratch' },
  ): Promise<RunSummary> {
    if (this.scorer) disposeQuietly(this.scorer.model);
    if (this.encoder) disposeQuietly(this.encoder);
    this.scorer = null;
    this.encoder = null;
    const rest = this.order.filter((b) => b !== failure.backend);
    const report = await this.useBackend(await chooseBackend(rest.length > 0 ? rest : ['cpu']));
    emit({ type: 'backend', report });
    if (failure.kind === 'refused') await this.store.clear().catch(() => undefined);
    const newest = await this.newestSaved();
    const mine = newest && newest.info.createdAt === this.savedRun ? newest.decode() : null;
    emit({
      type: 'log',
      message:
        failure.kind === 'refused'
          ? `WebGPU refused part of the run's work (${failure.reason}), so its numbers since then are wrong. Training moves to ${describeBackend(report.backend, report.threads)} and starts again from the beginning. If this happens again on this GPU, choose another backend above.`
          : `${failure.message} Training moves to ${describeBackend(report.backend, report.threads)} and goes on from ${mine ? `its state saved at step ${mine.train.step}` : 'the start (no state was saved yet)'}.`,
    });
    return mine
      ? this.start(mine.config, mine.roles, run.baseKind, emit, mine)
      : this.start(run.config, run.roles, run.baseKind, emit);
  }

  /** Writes each state to the store; the first failure is reported once and ends saving for this run. */
  private saver(emit: Emit): (state: RunState) => Promise<void> {
    let failed = false;
    return async (state) => {
      // Read back from a lost device, or after WebGPU refused work, the state is garbage: keep the last good one.
      if (failed || this.health.failure()) return;
      try {
        await this.store.save(encodeRunState(state));
        this.savedRun = state.createdAt;
        emit({ type: 'saved', step: state.train.step, totalSteps: state.totalSteps });
      } catch (e) {
        failed = true;
        const message = `The run's state could not be saved in the browser (${e instanceof Error ? e.message : String(e)}): the disk may be full or storage denied to this page. Training goes on, but a reload or a crash now loses the run; free some disk space to save the next run.`;
        emit({ type: 'saveFailed', message });
        emit({ type: 'log', message });
      }
    };
  }

  /**
   * The saved run that did not end: the newest copy that is whole (a crash may cut the other short), read by its
   * header only; `decode` widens its tensors when the run is resumed.
   */
  private async newestSaved(): Promise<{ info: RunStateInfo; decode: () => RunState } | null> {
    let newest: { info: RunStateInfo; decode: () => RunState } | null = null;
    for (const bytes of await this.store.load()) {
      try {
        const info = runStateInfo(bytes, 'the saved run');
        if (!newest || info.step > newest.info.step)
          newest = { info, decode: () => decodeRunState(bytes, 'the saved run') };
      } catch {
        // a copy cut short: the other one is the run's state
      }
    }
    return newest;
  }

  /** Goes on with the saved run: its settings and columns, on the loaded data, from the same base model. */
  private async resumeSaved(emit: Emit): Promise<RunSummary> {
    this.assertIdle();
    const newest = await this.newestSaved();
    if (!newest) throw new TabTuneError('usage', 'There is no saved run to resume.');
    if (!this.table) {
      throw new TabTuneError(
        'usage',
        `Load ${newest.info.dataFile}, the file the saved run was trained on, to resume it.`,
      );
    }
    const scratch = newest.info.baseModel === 'scratch';
    if (!scratch && !this.base) {
      throw new TabTuneError(
        'usage',
        `Load ${newest.info.baseModel}, the model the saved run fine-tunes, to resume it.`,
      );
    }
    const saved = newest.decode();
    return this.start(saved.config, saved.roles, scratch ? 'scratch' : 'loaded', emit, saved);
  }

  /** The LR range test: like `start`, it holds the data and model still while it runs, and keeps nothing. */
  private async lrFind(
    config: TrainConfig,
    roles: ColumnRoles,
    baseKind: 'loaded' | 'scratch',
    steps: number,
    emit: Emit,
  ): Promise<LrFinderResult> {
    if (!(Number.isInteger(steps) && steps >= 5))
      throw new TabTuneError('usage', `The learning-rate finder needs at least 5 steps (got ${steps}).`);
    return this.holding(
      config,
      roles,
      baseKind,
      emit,
      () => true,
      (request) => runLrFinder(request, { ...LR_FINDER, steps }, (point) => emit({ type: 'lrPoint', point })),
    );
  }

  /**
   * Runs `work` on the loaded table and base model with pause/stop control and the log streamed, while nothing
   * else may change them (another file, a profile, a second run are refused until it ends).
   */
  private async holding<T>(
    config: TrainConfig,
    roles: ColumnRoles,
    baseKind: 'loaded' | 'scratch',
    emit: Emit,
    current: () => boolean,
    work: (request: RunRequest) => Promise<T>,
  ): Promise<T> {
    this.assertIdle();
    if (baseKind === 'loaded' && !this.base)
      throw new TabTuneError('usage', 'Load a model first, or choose "from scratch".');
    this.training = true;
    this.paused = false;
    this.stopRequested = false;
    try {
      const data = await this.inTurn((ticket) =>
        this.tableFor(roles, config.rowLimit, config.seed, emit, ticket),
      );
      return await work({
        data,
        validation: null,
        roles,
        config,
        base: baseKind === 'scratch' ? { kind: 'scratch' } : { kind: 'checkpoint', checkpoint: this.base! },
        backend: this.backend,
        control: this.runControl(current),
        events: { log: (message) => emit({ type: 'log', message }) },
      });
    } finally {
      this.training = false;
    }
  }

  /** Scores the held-out rows; only then does the new model replace the one that scored before. */
  /** Keeps the run in the run history; a storage error becomes a note on the run (the run itself is not lost). */
  private async remember(run: FinishedRun, started: Date): Promise<string[]> {
    const { data, record } = run;
    const fingerprint = dataFingerprint(record.roles, [data.train, data.validation, data.test]);
    try {
      await this.history.add(historyEntry(record, fingerprint, started, new Date()));
      return [];
    } catch (e) {
      return [
        `This run could not be kept in the run history (${e instanceof Error ? e.message : String(e)}); export it to keep its model and metrics.`,
      ];
    }
  }

  private async finish(run: FinishedRun, started: Date): Promise<RunSummary> {
    let scored;
    try {
      scored = await scoreHeldOut(run, MAX_SCORED);
    } catch (e) {
      run.model.dispose();
      throw e;
    }
    const { data, record } = run;
    this.setScorer({
      model: run.model,
      spec: data.spec,
      ckpt: run.checkpoint,
      run: record,
      maxLength: record.trainConfig.maxLength,
    });
    const r = record.result;
    const historyNotes = await this.remember(run, started);
    return {
      reason: r.reason,
      message: r.message,
      steps: r.steps,
      bestStep: r.bestStep,
      selectionMetric: r.selectionMetric,
      notes: [...data.warnings, ...r.notes, ...historyNotes],
      spec: data.spec,
      baseline: r.baseline,
      final: r.final,
      classical: record.classical ?? { fitted: false, reason: 'not run' },
      comparison: record.comparison ?? null,
      data: {
        usable: data.dataset.examples.length,
        badRows: data.dataset.badRows,
        train: data.train.length,
        validation: data.validation.length,
        test: data.test.length,
      },
      scored: {
        split: scored.split,
        examples: scored.examples.map((e, i) => ({
          line: e.line,
          text: e.text,
          rating: e.rating,
          score: scored.predictions[i]!.score,
          rankScore: scored.predictions[i]!.rankScore,
        })),
      },
    };
  }

  private runControl(current: () => boolean): RunControl {
    return {
      // A lost device, or work WebGPU refused, ends the run at the next step; `start` then moves it elsewhere.
      shouldStop: () => !current() || this.stopRequested || this.health.failure() !== null,
      waitIfPaused: async () => {
        await nextTask();
        while (this.paused && !this.stopRequested) await new Promise((r) => setTimeout(r, 50));
      },
    };
  }

  private control(action: 'pause' | 'resume' | 'stop'): null {
    if (action === 'pause') this.paused = true;
    if (action === 'resume') this.paused = false;
    if (action === 'stop') this.stopRequested = true;
    return null;
  }

  private async predict(rows: Params<'predict'>['rows']) {
    const t = this.requireScorer();
    const encoded = rows.map((r) => t.ckpt.tokenizer.encode(r.text, r.pair, t.maxLength));
    const predictions = await predictAll(t.model, t.spec, encoded, t.ckpt.tokenizer.padId, 32);
    this.assertGpuTrusted();
    return predictions;
  }

  private async exportZip() {
    const t = this.requireScorer();
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
    return { zip, fileName: 'tabtune-model.zip' };
  }

  private setScorer(s: Scorer) {
    this.scorer?.model.dispose();
    this.scorer = s;
  }

  private requireScorer(): Scorer {
    if (!this.scorer) throw new TabTuneError('usage', 'Train a model (or load a TabTune export) first.');
    return this.scorer;
  }

  /**
   * Results computed on WebGPU after it refused some work (`gpuError`) may be garbage: they are not handed out.
   * A run recovers by itself (it moves to the next backend); scores and embeddings outside a run ask for a reload.
   * The trained weights are not touched outside a run (a run that saw the error would have moved), so the
   * download stays open.
   */
  private assertGpuTrusted() {
    const refused = this.health.refused();
    if (refused !== null)
      throw new TabTuneError(
        'backend',
        `WebGPU refused part of TabTune's work (${refused}), so what it computed since may be wrong and is not shown. Download the trained weights if you need them (they were made before this), then reload the page to start WebGPU afresh, or choose another backend.`,
      );
  }

  private assertIdle() {
    if (this.training) throw new TabTuneError('usage', 'A training run is in progress; stop it first.');
  }
}

/** A checkpoint source that counts the bytes it reads, and those that came over the network, not the cache. */
function countingSource(inner: CheckpointSource) {
  let total = 0;
  let network = 0;
  const source: CheckpointSource = {
    description: inner.description,
    read: async (file, onProgress) => {
      let fromNetwork = true;
      const bytes = await inner.read(file, (p) => {
        if (p.cached) fromNetwork = false;
        onProgress?.(p);
      });
      if (bytes) {
        total += bytes.byteLength;
        if (fromNetwork) network += bytes.byteLength;
      }
      return bytes;
    },
  };
  return { source, total: () => total, fromNetwork: () => network };
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

function summarizeSaved(state: RunStateInfo | null): SavedRunSummary | null {
  if (!state) return null;
  return {
    dataFile: state.dataFile,
    step: state.step,
    totalSteps: state.totalSteps,
    savedAt: state.savedAt,
    baseModel: state.baseModel,
    config: state.config,
    roles: state.roles,
  };
}

/** Frees a model's tensors; those on a lost device may refuse, and there is nothing left to free then. */
function disposeQuietly(model: { dispose(): void }): void {
  try {
    model.dispose();
  } catch {
    // on the lost device
  }
}
