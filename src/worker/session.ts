import { buildDataset } from '../core/data/dataset';
import { profileDataset } from '../core/data/profile';
import { TabTuneError } from '../core/errors';
import { probeSteps } from '../core/runtime/probeSteps';
import type { CallMap, Calls, Emit } from '../shared/protocol';
import { auditLabels } from './audit';
import { clearCacheStorage } from './cache';
import type { GpuHealth } from './gpuHealth';
import { Backends } from './backends';
import { Models } from './models';
import { Runner } from './runner';
import { SavedRuns } from './savedRuns';
import { memoryRunHistory, type RunHistory } from './runHistory';
import { memoryRunStore, type RunStore } from './runStore';
import { Scoring } from './scoring';
import { Searcher } from './searcher';
import { summarizeSaved } from './summaries';
import { TableReader } from './tableReader';

/** The signal of a call nobody can cancel. */
const NEVER = new AbortController().signal;
/** A call's handler: its parameters, where its events go, and its signal (aborted when the page cancels the call). */
export type Handlers<C extends CallMap<C>> = {
  [K in keyof C]: (
    p: C[K]['params'],
    emit: Emit,
    signal: AbortSignal,
  ) => Promise<C[K]['reply']> | C[K]['reply'];
};
/** What a Worker that answers calls of its own beside the studio's (the lab's) may use of the session. */
export interface SessionParts {
  health: GpuHealth;
  assertIdle: () => void;
}
type AnyHandler = (p: unknown, emit: Emit, signal: AbortSignal) => unknown;

/**
 * Everything the compute Worker holds, each part owning its own state: the backend and its GPU's health, the file
 * (`TableReader`), the models (`Models`), the run (`Runner`) and the model that scores (`Scoring`). `handle` is
 * the table of the protocol's calls over them.
 */
export class Session<X extends CallMap<X> = Record<never, never>> {
  /** The backend, its order and its GPU's health. */
  private readonly backends: Backends;
  private readonly tables: TableReader;
  private readonly models = new Models();
  private readonly scoring: Scoring;
  private readonly runner: Runner;
  /**
   * Every call this session answers, by the name a message carries: the studio's, and those of the Worker that made
   * it (the lab's: the benchmark, test hooks). Made once; the handlers' types say what each takes and answers.
   */
  private readonly calls: Record<string, AnyHandler | undefined>;

  /**
   * `store`: where a run's state is saved while it trains; `history`: where finished runs are kept (OPFS in the
   * Worker); `extra`: the handlers of calls a lab Worker adds.
   */
  constructor(
    store: RunStore = memoryRunStore(),
    history: RunHistory = memoryRunHistory(),
    extra: ((parts: SessionParts) => Handlers<X>) | null = null,
    searchStore: RunStore = memoryRunStore(),
  ) {
    const assertIdle = () => this.runner.assertIdle();
    const saved = new SavedRuns(store);
    this.tables = new TableReader(assertIdle);
    this.backends = new Backends(() => this.scoring.tensors());
    const { health } = this.backends;
    this.scoring = new Scoring(() => health.assertTrusted());
    this.runner = new Runner({
      saved,
      history,
      tables: this.tables,
      models: this.models,
      scoring: this.scoring,
      backends: this.backends,
    });
    const r = this.runner;
    const searcher = new Searcher({
      runner: r,
      store: searchStore,
      tables: this.tables,
      models: this.models,
      backend: () => this.backends.label(),
      health,
    });
    const handlers: Handlers<Calls> = {
      init: (p) => (assertIdle(), this.backends.init(p)),
      load: async (p, emit, signal) => {
        assertIdle();
        const loaded = await this.models.load(p.source, emit, signal);
        if (loaded.scorer) this.scoring.set(loaded.scorer);
        return loaded.summary;
      },
      embed: async (p) => {
        const records = await this.models.embed(p.rows, p.maxLength);
        health.assertTrusted();
        return records;
      },
      table: (p, emit, signal) => this.tables.read(p.file, p.blob, emit, signal),
      profile: async (p, emit, signal) => {
        assertIdle();
        const { table, file } = await this.tables.rows(p.roles, p.rowLimit, p.seed, emit, signal);
        return profileDataset(buildDataset(table, p.roles, file), this.models.base?.tokenizer ?? null);
      },
      // Aborting a run's call is its Stop: it ends at the next step and answers with what it trained.
      start: (p, emit, signal) =>
        r.start(p.config, p.roles, p.base, emit, signal, null, p.backendDecision ?? null),
      audit: (p, emit, signal) => (assertIdle(), auditLabels(this.tables, p, emit, signal)),
      lrFind: (p, emit, signal) => r.lrFind(p.config, p.roles, p.base, p.steps, emit, signal),
      // Aborting a search's call is its Stop: the best trial so far finishes as the run.
      search: (p, emit, signal) => searcher.search(p, emit, signal),
      savedSearch: () => searcher.saved(),
      resumeSearch: (_p, emit, signal) => searcher.resume(emit, signal),
      discardSearch: async () => (await searcher.discard(), null),
      pause: () => r.control('pause'),
      resume: () => r.control('resume'),
      predict: (p) => this.scoring.predict(p.rows),
      explain: (p) => this.scoring.explain(p.row),
      export: () => this.scoring.exportZip(),
      clearCache: async () => ({ files: await clearCacheStorage() }),
      probe: async (p, emit, signal) => {
        assertIdle();
        await probeSteps(p.job, p.batches, (step) => emit({ type: 'probeStep', step }), signal);
        return null;
      },
      savedRun: async () => summarizeSaved((await saved.newest())?.info ?? null),
      resumeSaved: (_p, emit, signal) => r.resumeSaved(emit, signal),
      discardSaved: async () => (assertIdle(), await saved.clear(), null),
      history: () => history.list(),
      deleteRun: async (p) => (await history.remove(p.id), null),
    };
    const added = extra?.({ health, assertIdle }) ?? null;
    this.calls = { ...added, ...handlers } as unknown as Record<string, AnyHandler | undefined>;
  }

  /**
   * Runs one call and returns its reply; the handler table is typed by the protocol's `Calls`. Aborting `signal`
   * cancels the call: a read or a download stops, a run stops at its next step (the one way to cancel anything).
   */
  handle(req: { type: string; params: unknown }, emit: Emit, signal: AbortSignal = NEVER): Promise<unknown> {
    const run = this.calls[req.type];
    if (!run)
      return Promise.reject(
        new TabTuneError(
          'usage',
          `This Worker does not answer "${req.type}": the lab's calls (the benchmark, the test hooks) are answered only by the lab's Worker (bench.html, and test.html, the e2e tests' page).`,
        ),
      );
    return Promise.resolve().then(() => run(req.params, emit, signal));
  }
}
