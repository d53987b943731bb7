import { describeBackend } from '../core/backendLabel';
import type { ColumnRoles } from '../core/data/dataset';
import { isTabTuneError, TabTuneError } from '../core/errors';
import { describeDecision, type BackendDecision } from '../core/runtime/probe';
import type { TrainConfig } from '../core/train/config';
import { historyEntry } from '../core/train/history';
import { LR_FINDER, type LrFinderResult } from '../core/train/lrFinder';
import { runLrFinder, runTraining, scoreHeldOut, type FinishedRun, type RunRequest } from '../core/train/run';
import { dataFingerprint, type RunState } from '../core/train/runState';
import { PauseGate } from '../core/train/control';
import type { RunSummary, BaseKind, Emit } from '../shared/protocol';
import type { Backends } from './backends';
import type { GpuFailure } from './gpuHealth';
import type { Models } from './models';
import type { RunHistory } from './runHistory';
import type { SavedRuns } from './savedRuns';
import { disposeQuietly, type Scoring } from './scoring';
import { runSummary } from './summaries';
import type { TableReader } from './tableReader';

/** Held-out examples sent back with their scores, for the ROC curve, scatter plot and worst errors. */
const MAX_SCORED = 5000;

/** Seconds between time-based saves of a run's state (there is one after every evaluation as well). */
const SAVE_STATE_EVERY = 120;

/** What a run works with, owned elsewhere in the Worker. */
export interface RunnerParts {
  saved: SavedRuns;
  history: RunHistory;
  tables: TableReader;
  models: Models;
  scoring: Scoring;
  /** The backend: its name for the record, its GPU's health, and the next one when a GPU fails. */
  backends: Backends;
}

/** One try of a run: its settings, and the state it goes on from. */
interface Attempt {
  config: TrainConfig;
  roles: ColumnRoles;
  resume: RunState | null;
  decision: BackendDecision | null;
  finishing?: Finishing;
}

/** How a settings search's winner finishes as the run: where it ends, and what its record adds. */
export interface Finishing {
  /** The step it ends at, when the search's time ran out before its full budget. */
  endAt?: number;
  /** Adds to the finished run's record before it is scored, kept and exported (the search's summary). */
  decorate?: (run: FinishedRun) => Promise<void>;
}

/**
 * A run's lifetime in the Worker: it holds the data and model still while it trains, pauses and stops between
 * steps, saves its state as it goes, moves to the next backend when its GPU fails, and leaves the trained model
 * as the one that scores. The LR range test runs the same way and keeps nothing.
 */
export class Runner {
  /** Closed while the page has paused the run: the run waits at its next step boundary. */
  private readonly gate = new PauseGate();
  private training = false;

  constructor(private readonly parts: RunnerParts) {}

  assertIdle(): void {
    if (this.training) throw new TabTuneError('usage', 'A training run is in progress; stop it first.');
  }

  control(action: 'pause' | 'resume'): null {
    if (action === 'pause') this.gate.close();
    else this.gate.open();
    return null;
  }

  /**
   * Trains; when the GPU fails mid-run (a refusal of the user's input never is the GPU's), moves to the next backend
   * and tries again from the last saved state, as often as backends remain. Each try has its own controller: the
   * run stops at its next step when the call's signal (Stop), the try's (given up on) or the GPU's health aborts; a
   * try given up on (it may still be waiting on the lost GPU) says nothing more.
   */
  async start(
    config: TrainConfig,
    roles: ColumnRoles,
    baseKind: BaseKind,
    emit: Emit,
    signal: AbortSignal,
    resume: RunState | null = null,
    decision: BackendDecision | null = null,
    finishing: Finishing = {},
  ): Promise<RunSummary> {
    let next: Attempt = { config, roles, resume, decision, finishing };
    for (;;) {
      const attempt = new AbortController();
      const live: Emit = (e) => attempt.signal.aborted || emit(e);
      try {
        return await this.attempt(next, baseKind, live, attempt.signal, signal);
      } catch (e) {
        // Any error but a TabTuneError may be the GPU's (a lost device fails a read; a lost WebGL context fails
        // every shader's compilation).
        const failure = isTabTuneError(e) ? null : await this.parts.backends.health.explain(e);
        if (!failure) throw e;
        attempt.abort(failure);
        next = await this.afterGpuFailure(failure, emit, next);
      }
    }
  }

  /** Goes on with the saved run: its settings and columns, on the loaded data, from the same base model. */
  async resumeSaved(emit: Emit, signal: AbortSignal): Promise<RunSummary> {
    this.assertIdle();
    const newest = await this.parts.saved.newest();
    if (!newest) throw new TabTuneError('usage', 'There is no saved run to resume.');
    if (!this.parts.tables.loaded)
      throw new TabTuneError(
        'usage',
        `Load ${newest.info.dataFile}, the file the saved run was trained on, to resume it.`,
      );
    const scratch = newest.info.baseModel === 'scratch';
    if (!scratch && !this.parts.models.base)
      throw new TabTuneError(
        'usage',
        `Load ${newest.info.baseModel}, the model the saved run fine-tunes, to resume it.`,
      );
    const saved = newest.decode();
    return this.start(saved.config, saved.roles, scratch ? 'scratch' : 'loaded', emit, signal, saved);
  }

  /** The LR range test: like `start`, it holds the data and model still while it runs, and keeps nothing. */
  async lrFind(
    config: TrainConfig,
    roles: ColumnRoles,
    baseKind: BaseKind,
    steps: number,
    emit: Emit,
    signal: AbortSignal,
  ): Promise<LrFinderResult> {
    if (!(Number.isInteger(steps) && steps >= 5))
      throw new TabTuneError('usage', `The learning-rate finder needs at least 5 steps (got ${steps}).`);
    return this.holding(config, roles, baseKind, emit, signal, (request) =>
      runLrFinder(request, { ...LR_FINDER, steps }, (point) => emit({ type: 'lrPoint', point })),
    );
  }

  /** One try of a run; `given` aborts when the try is given up on (its GPU lost), `call` on the page's Stop. */
  private async attempt(
    a: Attempt,
    baseKind: BaseKind,
    runEmit: Emit,
    given: AbortSignal,
    call: AbortSignal,
  ): Promise<RunSummary> {
    const started = new Date();
    const { saved } = this.parts;
    const { health } = this.parts.backends;
    const signal = AbortSignal.any([call, given]);
    return this.holding(a.config, a.roles, baseKind, runEmit, signal, async (request) => {
      if (a.decision) runEmit({ type: 'log', message: `Backend: ${describeDecision(a.decision)}.` });
      saved.startedFrom(a.resume);
      const save = saved.saver(runEmit, () => health.failure() !== null);
      const run = await health.orLost(
        runTraining({
          ...request,
          resume: a.resume,
          ...(a.finishing?.endAt === undefined ? {} : { endAt: a.finishing.endAt }),
          backendDecision: a.decision ? describeDecision(a.decision) : null,
          saveStateEvery: SAVE_STATE_EVERY,
          events: {
            ...request.events,
            plan: (plan) => runEmit({ type: 'plan', plan }),
            progress: (point) => runEmit({ type: 'progress', point }),
            evaluation: (point) => runEmit({ type: 'evaluation', point }),
            classical: (outcome) => runEmit({ type: 'classical', outcome }),
            saveState: (state) => (given.aborted ? undefined : save(state)),
            // The loss points and evaluations a resumed run made before it was saved, for the charts.
            resumed: (saved) => {
              saved.train.progress.forEach((point) => runEmit({ type: 'progress', point }));
              saved.train.history.forEach((point) => runEmit({ type: 'evaluation', point }));
            },
          },
        }),
      );
      // A lost device reads back garbage rather than failing: a run that saw it ended for that reason.
      const failure = health.failure();
      if (failure) {
        disposeQuietly(run.model);
        throw failure;
      }
      // The run ended (completed, stopped, early-stopped or NaN): nothing is left to resume.
      await saved.clear();
      await a.finishing?.decorate?.(run);
      return this.finish(run, started);
    });
  }

  /**
   * The GPU failed mid-run (a WebGPU device or WebGL context lost, a shader WebGL refused): take the next backend
   * of the order, and go on with the run from its last saved state (or from the start when it had not saved one
   * yet). Tensors on the lost device are gone; the state is on the host, and the model that scored before is
   * dropped. When WebGPU refused some of the run's work silently instead, no saved state can be trusted (it may
   * hold numbers computed after that): the run starts again from the beginning.
   */
  private async afterGpuFailure(failure: GpuFailure, emit: Emit, run: Attempt): Promise<Attempt> {
    this.parts.scoring.drop();
    this.parts.models.dropEncoder();
    const report = await this.parts.backends.moveFrom(failure.backend);
    emit({ type: 'backend', report });
    if (failure.kind === 'refused') await this.parts.saved.clear();
    const mine = await this.parts.saved.ours();
    const where = describeBackend(report.backend, report.threads);
    emit({
      type: 'log',
      message:
        failure.kind === 'refused'
          ? `WebGPU refused part of the run's work (${failure.reason}), so its numbers since then are wrong. Training moves to ${where} and starts again from the beginning. If this happens again on this GPU, choose another backend above.`
          : `${failure.message} Training moves to ${where} and goes on from ${mine ? `its state saved at step ${mine.train.step}` : 'the start (no state was saved yet)'}.`,
    });
    return mine
      ? { config: mine.config, roles: mine.roles, resume: mine, decision: null }
      : { config: run.config, roles: run.roles, resume: null, decision: null };
  }

  /** `work` (a settings search) holding the data and model as a run does, with its pause and stop. */
  hold<T>(
    config: TrainConfig,
    roles: ColumnRoles,
    baseKind: BaseKind,
    emit: Emit,
    signal: AbortSignal,
    work: (request: RunRequest) => Promise<T>,
  ): Promise<T> {
    return this.holding(config, roles, baseKind, emit, signal, work);
  }

  /**
   * Runs `work` on the loaded table and base model with pause/stop control and the log streamed, while nothing
   * else may change them (another file, a profile, a second run are refused until it ends). The work stops at its
   * next step when `signal` aborts, or when the GPU fails (a lost device, work WebGPU refused: `start` then moves
   * the run elsewhere).
   */
  private async holding<T>(
    config: TrainConfig,
    roles: ColumnRoles,
    baseKind: BaseKind,
    emit: Emit,
    signal: AbortSignal,
    work: (request: RunRequest) => Promise<T>,
  ): Promise<T> {
    this.assertIdle();
    const base = this.parts.models.base;
    if (baseKind === 'loaded' && !base)
      throw new TabTuneError('usage', 'Load a model first, or choose "from scratch".');
    this.training = true;
    this.gate.open();
    try {
      const data = await this.parts.tables.rows(roles, config.rowLimit, config.seed, emit, signal);
      return await work({
        data,
        validation: null,
        roles,
        config,
        base: baseKind === 'scratch' ? { kind: 'scratch' } : { kind: 'checkpoint', checkpoint: base! },
        backend: this.parts.backends.label(),
        control: { signal: AbortSignal.any([signal, this.parts.backends.health.signal]), gate: this.gate },
        events: { log: (message) => emit({ type: 'log', message }) },
      });
    } finally {
      this.training = false;
    }
  }

  /** Keeps the run in the run history; a storage error becomes a note on the run (the run itself is not lost). */
  private async remember(run: FinishedRun, started: Date): Promise<string[]> {
    const { data, record } = run;
    const fingerprint = dataFingerprint(record.roles, [data.train, data.validation, data.test]);
    try {
      await this.parts.history.add(historyEntry(record, fingerprint, started, new Date()));
      return [];
    } catch (e) {
      return [
        `This run could not be kept in the run history (${e instanceof Error ? e.message : String(e)}); export it to keep its model and metrics.`,
      ];
    }
  }

  /** Scores the held-out rows; only then does the new model replace the one that scored before. */
  private async finish(run: FinishedRun, started: Date): Promise<RunSummary> {
    let scored;
    try {
      scored = await scoreHeldOut(run, MAX_SCORED);
    } catch (e) {
      run.model.dispose();
      throw e;
    }
    const { data, record } = run;
    this.parts.scoring.set({
      model: run.model,
      spec: data.spec,
      ckpt: run.checkpoint,
      run: record,
      maxLength: record.trainConfig.maxLength,
    });
    return runSummary(run, scored, await this.remember(run, started));
  }
}
