import { isTabTuneError, TabTuneError } from '../core/errors';
import type { BackendDecision } from '../core/runtime/probe';
import { compareWithRecipe, searchSummary } from '../core/search/finish';
import { decodeSearch, encodeSearch, type SavedSearch } from '../core/search/saved';
import { DEFAULT_SEARCH, runSearch } from '../core/search/search';
import { validateSpace } from '../core/search/space';
import type { ColumnRoles } from '../core/data/dataset';
import type { TrainConfig } from '../core/train/config';
import type { Params, RunSummary, SavedSearchSummary, BaseKind, Emit } from '../shared/protocol';
import type { GpuHealth } from './gpuHealth';
import type { Models } from './models';
import type { Runner } from './runner';
import type { RunStore } from './runStore';
import type { TableReader } from './tableReader';

/** What a search works with, owned elsewhere in the Worker. */
export interface SearcherParts {
  runner: Runner;
  /** Where the search's state is kept while it runs (OPFS in the Worker): a reload goes on from it. */
  store: RunStore;
  tables: TableReader;
  models: Models;
  backend: () => string;
  /** Tells a GPU's failure (a lost device, refused work) from any other error. */
  health: Pick<GpuHealth, 'explain' | 'failure'>;
}

/**
 * The studio's settings search: it holds the data and model as a run does (pause, stop), saves its state after each
 * trial's rung, and hands its winner to the Runner, which finishes it as the run — scored on test once, compared with
 * the recipe, kept in the history and exported with the search attached.
 */
export class Searcher {
  constructor(private readonly parts: SearcherParts) {}

  async search(p: Params<'search'>, emit: Emit, signal: AbortSignal): Promise<RunSummary> {
    const budgetSeconds = p.search.budgetMinutes * 60;
    if (!(budgetSeconds > 0) || !(Number.isInteger(p.search.maxTrials) && p.search.maxTrials >= 1))
      throw new TabTuneError(
        'usage',
        `A settings search needs a time above 0 minutes and at least 1 trial (got ${p.search.budgetMinutes} minutes, ${p.search.maxTrials} trials).`,
      );
    const options = {
      ...DEFAULT_SEARCH,
      budgetSeconds,
      maxTrials: p.search.maxTrials,
      seed: p.config.seed,
      ...(p.search.space ? { space: validateSpace(p.search.space) } : {}),
    };
    return this.run(p.config, p.roles, p.base, options, null, p.backendDecision ?? null, emit, signal);
  }

  /** The saved search, described by its header; null when there is none (or it cannot be read). */
  async saved(): Promise<SavedSearchSummary | null> {
    const s = await this.newest();
    if (!s) return null;
    const p = s.progress;
    return {
      dataFile: p.dataFile,
      baseModel: p.baseModel,
      trials: p.trials.length,
      trained: p.trials.filter((t) => t.rung >= 0).length,
      elapsedSeconds: p.elapsedSeconds,
      budgetSeconds: p.options.budgetSeconds,
      config: p.config,
      roles: p.roles,
    };
  }

  async resume(emit: Emit, signal: AbortSignal): Promise<RunSummary> {
    this.parts.runner.assertIdle();
    const saved = await this.newest();
    if (!saved) throw new TabTuneError('usage', 'There is no saved settings search to go on with.');
    const p = saved.progress;
    if (!this.parts.tables.loaded)
      throw new TabTuneError(
        'usage',
        `Load ${p.dataFile}, the file the saved search ran on, to go on with it.`,
      );
    const scratch = p.baseModel === 'scratch';
    if (!scratch && !this.parts.models.base)
      throw new TabTuneError(
        'usage',
        `Load ${p.baseModel}, the model the saved search fine-tunes, to go on with it.`,
      );
    return this.run(p.config, p.roles, scratch ? 'scratch' : 'loaded', p.options, saved, null, emit, signal);
  }

  discard(): Promise<void> {
    this.parts.runner.assertIdle();
    return this.parts.store.clear();
  }

  /**
   * The search, its GPU's failure said as the device's (not a TabTune bug): the search stops there, and its state
   * saved after the last trial's rung lets it go on on another backend.
   */
  private async deviceSafe<T>(search: Promise<T>): Promise<T> {
    try {
      return await search;
    } catch (e) {
      const failure = isTabTuneError(e) ? null : await this.parts.health.explain(e);
      if (!failure) throw e;
      throw new TabTuneError(
        'backend',
        `${failure.message} The settings search stopped; its state is saved in this browser: choose another backend above, then go on with the search.`,
      );
    }
  }

  private async newest(): Promise<SavedSearch | null> {
    for (const bytes of await this.parts.store.load()) {
      try {
        return decodeSearch(bytes, 'the saved search');
      } catch {
        // a copy cut short: the other one is the search's state
      }
    }
    return null;
  }

  private async run(
    config: TrainConfig,
    roles: ColumnRoles,
    base: BaseKind,
    options: typeof DEFAULT_SEARCH,
    resume: SavedSearch | null,
    decision: BackendDecision | null,
    emit: Emit,
    signal: AbortSignal,
  ): Promise<RunSummary> {
    const { runner, store } = this.parts;
    const outcome = await this.deviceSafe(
      runner.hold(config, roles, base, emit, signal, (request) =>
        runSearch({
          ...request,
          options,
          resume,
          events: {
            log: (message) => emit({ type: 'log', message }),
            trial: (trial) => emit({ type: 'searchTrial', trial: structuredClone(trial) }),
            evaluation: (trial, point) => emit({ type: 'searchEvaluation', trial, point }),
            // Read back from a lost device, a state is garbage: the last good one stays.
            save: (saved) =>
              this.parts.health.failure()
                ? undefined
                : store.save(encodeSearch(saved)).catch(() => undefined),
          },
        }),
      ),
    );
    await store.clear().catch(() => undefined);
    const state = outcome.winnerState;
    emit({
      type: 'log',
      message: `The winner is trial ${outcome.winner + 1} (${state.train.step} of ${state.totalSteps} steps trained): it finishes as the run.`,
    });
    // The winner finishes even after Stop (the search's Stop chose it): its own, unstopped call.
    return runner.start(state.config, roles, base, emit, new AbortController().signal, state, decision, {
      ...(state.train.step < state.totalSteps ? { endAt: state.train.step } : {}),
      decorate: async (run) => {
        const vs = await compareWithRecipe(run, outcome, this.parts.backend());
        run.record.search = searchSummary(outcome, vs, options.budgetSeconds);
      },
    });
  }
}
