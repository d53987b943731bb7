import { classicalOutcome } from '../baseline/classical';
import { TabTuneError } from '../errors';
import type { TrainConfig } from '../train/config';
import type { EvalPoint } from '../train/evaluate';
import { classifierFor, lrFinderOn, prepareRun, type PreparedRun, type RunRequest } from '../train/run';
import { dataFingerprint, type RunState, type TrainState } from '../train/runState';
import { planSchedule } from '../train/schedule';
import { train } from '../train/trainer';
import {
  end,
  mayContinue,
  nextRun,
  record,
  rungReached,
  startHalving,
  trialsThatFit,
  winner,
  type HalvingState,
} from './halving';
import { heldStates, type SavedSearch, type SearchProgress } from './saved';
import { DEFAULT_SEARCH, type SearchOptions, type TrialOrigin, type TrialRecord } from './trial';
import {
  defaultSpace,
  describeSettings,
  settingsOf,
  trialSettings,
  withSettings,
  type TrialSettings,
} from './space';

export { DEFAULT_SEARCH, type SearchOptions, type TrialOrigin, type TrialRecord };

/*
 * The settings search: trials of the real trainer, on the run's own data and backend, chosen by successive halving
 * on validation AUC alone. Trials never see the test split (they train with none): it is scored once, after the
 * winner is chosen, by the caller's final run. The base weights stay in memory between trials; a trial that may go
 * on keeps its state (weights and AdamW's moments) on the host until it does.
 */

export interface SearchEvents {
  log?(message: string): void;
  /** The search as it stands after each trial's rung, for the caller to keep (a reload goes on from it). */
  save?(saved: SavedSearch): Promise<void> | void;
  /** A trial's record, after each rung it finishes. */
  trial?(t: TrialRecord): void;
  /** Every validation evaluation of every trial, for the live chart. */
  evaluation?(trial: number, e: EvalPoint): void;
}

export interface SearchRequest extends Omit<RunRequest, 'resume' | 'events' | 'endAt' | 'saveStateEvery'> {
  options: SearchOptions;
  events?: SearchEvents;
  /** Wall time in milliseconds (tests pass a fake clock). */
  now?: () => number;
  /** The data and model already prepared from this request (`prepareRun`); prepared here when absent. */
  prepared?: PreparedRun;
  /** A saved search to go on with (its own settings and trials; the data and base model must be its own). */
  resume?: SavedSearch | null;
}

export interface SearchOutcome {
  trials: TrialRecord[];
  winner: number;
  /** The recipe's trial: index 0. */
  reference: number;
  /** The winner's run state: its settings and trained weights, for the final run (`runTraining` with `resume`). */
  winnerState: RunState;
  /** The recipe's trained weights (when it finished a rung), for the comparison on test. */
  referenceState: TrainState | null;
  halving: HalvingState;
  seconds: number;
  /** Why the search ended: every rung done, or the time ran out (and where). */
  ending: string;
}

/** A trial's settings as it trains: the run's, the trial's, and no early stopping (the halving stops trials). */
function trialConfig(base: TrainConfig, settings: TrialSettings): TrainConfig {
  return { ...withSettings(base, settings), earlyStopping: { ...base.earlyStopping, patience: 0 } };
}

export async function runSearch(req: SearchRequest): Promise<SearchOutcome> {
  const search = await Search.start(req);
  for (let next = nextRun(search.halving); next; next = nextRun(search.halving)) {
    if (req.control?.signal?.aborted) {
      search.stop();
      break;
    }
    if (!search.fits(next.trial, next.rung)) break;
    await search.segment(next.trial, next.rung);
  }
  return search.outcome();
}

/** A search under way: its trials, the halving, the states of the trials that may go on, and the clock. */
class Search {
  halving: HalvingState;
  readonly trials: TrialRecord[];
  private readonly candidates: TrialSettings[];
  private readonly origins: TrialOrigin[];
  private readonly states: Map<number, TrainState>;
  /** Seconds per trained example, measured on the first segment (the recipe's first rung). */
  private perExample: number | null;
  private ending: string;
  private readonly now: () => number;
  /** When the search started, its earlier sessions' time included. */
  private readonly started: number;
  private readonly deadline: number;

  private constructor(
    private readonly req: SearchRequest,
    private readonly prepared: PreparedRun,
    private readonly classical: RunState['classical'],
    from: Pick<SearchProgress, 'candidates' | 'origins'> & Partial<SearchProgress>,
    states = new Map<number, TrainState>(),
  ) {
    this.now = req.now ?? (() => performance.now());
    this.started = this.now() - (from.elapsedSeconds ?? 0) * 1000;
    const budget = req.options.budgetSeconds;
    // A twentieth of the budget is left for after the search: the winner's final evaluation and export.
    this.deadline = budget === null ? Infinity : this.started + budget * 950;
    this.candidates = from.candidates;
    this.origins = from.origins;
    this.trials =
      from.trials ??
      from.candidates.map((settings, index) => ({
        index,
        origin: from.origins[index]!,
        settings,
        scores: [],
        bestValAuc: null,
        rung: -1,
        steps: 0,
        seconds: 0,
        stopped: false,
      }));
    const o = req.options;
    this.halving =
      from.halving ?? startHalving(from.candidates.length, { eta: o.eta, rungs: o.rungs, reference: 0 });
    this.perExample = from.perExample ?? null;
    this.ending = from.ending ?? 'every rung finished.';
    this.states = states;
  }

  /** Prepares the data once, fits the classical baseline, runs the LR finder, and draws the trials' settings. */
  static async start(req: SearchRequest): Promise<Search> {
    const o = req.options;
    const log = (m: string) => req.events?.log?.(m);
    const prepared = Search.prepare(req);
    const classical = await classicalOutcome(
      prepared.data.spec,
      prepared.data,
      prepared.config.classicalBaseline,
    );
    if (req.resume) return Search.resumed(req, prepared, classical, req.resume);
    const finder = o.lrFinder ? await finderRate(prepared, req) : null;
    if (finder !== null) log(`LR finder: ${finder.toPrecision(2)}, added as a trial.`);
    const { config } = prepared;
    const candidates = trialSettings(
      settingsOf(config),
      o.space ?? defaultSpace(config),
      o.maxTrials,
      o.seed,
      finder,
    );
    const origins = candidates.map((_, i): TrialOrigin =>
      i === 0 ? 'recipe' : i === 1 && finder !== null ? 'lr-finder' : 'drawn',
    );
    return new Search(req, prepared, classical, { candidates, origins });
  }

  private static prepare(req: SearchRequest): PreparedRun {
    const { events: _events, prepared: given, resume: _resume, ...run } = req;
    return given ?? prepareRun({ ...run, events: { log: (m) => req.events?.log?.(m) } });
  }

  /** A saved search, checked against the data and model it ran on, going on where it was. */
  private static resumed(
    req: SearchRequest,
    prepared: PreparedRun,
    classical: RunState['classical'],
    saved: SavedSearch,
  ): Search {
    const p = saved.progress;
    const { data, checkpoint } = prepared;
    if (p.fingerprint !== dataFingerprint(req.roles, [data.train, data.validation, data.test]))
      throw new TabTuneError(
        'data',
        `${req.data.file} is not the data the saved search ran on (${p.dataFile}): a row, the columns or the settings of the split differ. Load ${p.dataFile} as it was, or start a new search.`,
      );
    if (p.baseModel !== checkpoint.source)
      throw new TabTuneError(
        'checkpoint',
        `The saved search was fine-tuning ${p.baseModel}, not ${checkpoint.source}. Load ${p.baseModel} to go on with it, or start a new search.`,
      );
    const done = p.trials.filter((t) => t.rung >= 0).length;
    req.events?.log?.(
      `Going on with the saved settings search: ${p.trials.length} trials, ${done} have trained, ${Math.round(p.elapsedSeconds)} s spent.`,
    );
    return new Search(req, prepared, classical, p, heldStates(saved));
  }

  /** The search as it stands, to save: what goes on after a reload or a crash. */
  snapshot(): SavedSearch {
    const { data, checkpoint } = this.prepared;
    const fingerprint = dataFingerprint(this.req.roles, [data.train, data.validation, data.test]);
    const states = new Map<number, RunState>();
    for (const [t, train] of this.states) states.set(t, this.runState(t, train, fingerprint));
    return {
      progress: {
        options: this.req.options,
        config: this.prepared.config,
        roles: this.req.roles,
        candidates: this.candidates,
        origins: this.origins,
        trials: this.trials,
        halving: this.halving,
        perExample: this.perExample,
        elapsedSeconds: (this.now() - this.started) / 1000,
        fingerprint,
        baseModel: checkpoint.source,
        dataFile: this.req.data.file,
        ending: this.ending,
        caller: this.req.caller ?? {},
      },
      states,
    };
  }

  /** Trial `t`'s state as a run's saved state: what `runTraining` goes on from (the winner), and what is saved. */
  private runState(t: number, train: TrainState, fingerprint: string): RunState {
    const config = this.config(t);
    const at = new Date().toISOString();
    return {
      config,
      roles: this.req.roles,
      fingerprint,
      dataFile: this.req.data.file,
      baseModel: this.prepared.checkpoint.source,
      totalSteps: planSchedule(this.prepared.data.train.length, config).totalSteps,
      classical: this.classical,
      createdAt: at,
      savedAt: at,
      caller: {},
      train,
    };
  }

  private config(trial: number): TrainConfig {
    return trialConfig(this.prepared.config, this.candidates[trial]!);
  }

  /** Where trial `t` stops at `rung`, and the examples it trains to get there from where it is. */
  private target(t: number, rung: number) {
    const c = this.config(t);
    const plan = planSchedule(this.prepared.data.train.length, c);
    const steps = Math.max(1, Math.round(plan.totalSteps * this.halving.rungs[rung]!));
    const examples = (steps - (this.states.get(t)?.step ?? 0)) * c.batchSize * c.gradAccumulation;
    return { c, plan, steps, examples };
  }

  /** Whether the next segment fits in the time left; if not, the search ends here. */
  fits(trial: number, rung: number): boolean {
    const { examples } = this.target(trial, rung);
    if (this.perExample === null || this.now() + this.perExample * examples * 1000 <= this.deadline)
      return true;
    const top = Math.max(...this.trials.map((t) => t.rung)) + 1;
    this.ending = `the time budget ran out before trial ${trial + 1} could train to rung ${rung + 1}, so the winner is chosen among the trials that finished rung ${top}.`;
    this.halving = end(this.halving);
    return false;
  }

  /** Trains trial `trial` on to `rung` (from its held state, or from the base model) and records its score. */
  async segment(trial: number, rung: number): Promise<void> {
    const { c, plan, steps, examples } = this.target(trial, rung);
    const t0 = this.now();
    const { data, checkpoint } = this.prepared;
    let saved: TrainState | null = null;
    const model = classifierFor({ ...this.prepared, config: c }, { backend: this.req.backend });
    try {
      const result = await train({
        model,
        tokenizer: checkpoint.tokenizer,
        config: c,
        spec: data.spec,
        train: data.train,
        validation: data.validation,
        test: [], // a trial never sees the test split
        events: {
          evaluation: (e) => this.req.events?.evaluation?.(trial, e),
          saveTrainState: (s) => {
            if (s.step === steps) saved = s;
          },
        },
        resume: this.states.get(trial) ?? null,
        ...(steps < plan.totalSteps ? { pauseAt: steps } : {}),
        ...(this.req.control ? { control: this.req.control } : {}),
      });
      if (result.reason === 'stopped') return this.stop(); // the trial's rung is not finished: not recorded
      this.halving = record(
        this.halving,
        trial,
        rung,
        result.reason === 'nan' ? null : result.final.validation.auc,
      );
      this.update(trial, result.steps, (this.now() - t0) / 1000);
      if (saved) this.states.set(trial, saved);
      else this.states.delete(trial);
    } finally {
      model.dispose();
    }
    if (this.perExample === null) this.fitToBudget((this.now() - t0) / 1000 / examples);
    for (const t of [...this.states.keys()])
      if (!mayContinue(this.halving, t, rungReached(this.halving, t))) this.states.delete(t);
    await this.req.events?.save?.(this.snapshot());
    const r = this.trials[trial]!;
    this.req.events?.log?.(
      `trial ${trial + 1} (${describeSettings(r.settings)}): validation AUC ${r.scores.at(-1)?.toFixed(3) ?? 'undefined'} at rung ${rung + 1} (step ${r.steps}, ${r.seconds.toFixed(0)} s)`,
    );
    this.req.events?.trial?.(r);
  }

  /** Stopped by the person (Stop, or the call's signal): nothing more runs; the best so far wins. */
  stop(): void {
    const top = Math.max(...this.trials.map((t) => t.rung)) + 1;
    this.ending = `the search was stopped, so the winner is chosen among the trials that finished rung ${top}.`;
    this.halving = end(this.halving);
  }

  private update(trial: number, steps: number, seconds: number): void {
    const r = this.trials[trial]!;
    r.scores = [...this.halving.scores[trial]!];
    const best = Math.max(...r.scores.map((s) => s ?? -Infinity));
    r.bestValAuc = Number.isFinite(best) ? best : null;
    r.rung = rungReached(this.halving, trial);
    r.steps = steps;
    r.seconds += seconds;
  }

  /** After the first segment: as many trials as the time budget fits, from its measured speed. */
  private fitToBudget(perExample: number): void {
    this.perExample = perExample;
    const o = this.req.options;
    const { config, data } = this.prepared;
    const full = perExample * config.epochs * data.train.length;
    const left = (this.deadline - this.now()) / 1000 + full * this.halving.rungs[0]!; // the first segment is done
    const n =
      o.budgetSeconds === null
        ? this.trials.length
        : trialsThatFit(left, full, o.eta, o.rungs, this.trials.length);
    if (n < this.trials.length) this.halving = truncate(this.halving, this.trials, this.candidates, n);
    const rungs = this.halving.rungs.map((s) => `${+(s * 100).toFixed(1)} %`).join(', ');
    this.req.events?.log?.(
      `Settings search: ${n} trials by successive halving (η ${o.eta}, rungs at ${rungs} of ${config.epochs} epochs); a full run takes about ${full.toFixed(0)} s here${o.budgetSeconds === null ? '' : `, the budget is ${o.budgetSeconds} s`}.`,
    );
  }

  outcome(): SearchOutcome {
    const won = winner(this.halving);
    const state = won === null ? undefined : this.states.get(won);
    if (won === null || !state)
      throw new TabTuneError(
        'usage',
        'The settings search ended before any trial finished its first rung, so there is no winner to keep. Give it more time, or start it again.',
      );
    const last = this.halving.rungs.length - 1;
    for (const r of this.trials) r.stopped = r.index !== won && r.index !== 0 && r.rung < last;
    const { data } = this.prepared;
    const fingerprint = dataFingerprint(this.req.roles, [data.train, data.validation, data.test]);
    return {
      trials: this.trials,
      winner: won,
      reference: 0,
      winnerState: this.runState(won, state, fingerprint),
      referenceState: this.states.get(0) ?? null,
      halving: this.halving,
      seconds: (this.now() - this.started) / 1000,
      ending: this.ending,
    };
  }
}

/** The halving cut to its first `n` trials (the budget fits no more), and the records with it. */
function truncate(
  h: HalvingState,
  trials: TrialRecord[],
  candidates: TrialSettings[],
  n: number,
): HalvingState {
  trials.splice(n);
  candidates.splice(n);
  return { ...h, scores: h.scores.slice(0, n) };
}

/** The LR finder's suggestion on the run's data and model (its sweep puts the weights back), or null. */
async function finderRate(prepared: PreparedRun, req: SearchRequest): Promise<number | null> {
  return (
    await lrFinderOn(prepared, { backend: req.backend, ...(req.control ? { control: req.control } : {}) })
  ).suggestion;
}
