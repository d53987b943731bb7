import { classicalOutcome } from '../baseline/classical';
import type { TrainConfig } from '../train/config';
import type { EvalPoint } from '../train/evaluate';
import { findLearningRate, LR_FINDER } from '../train/lrFinder';
import { classifierFor, prepareRun, type PreparedRun, type RunRequest } from '../train/run';
import { dataFingerprint, type RunState, type TrainState } from '../train/runState';
import { planSchedule } from '../train/schedule';
import { train } from '../train/trainer';
import {
  end,
  fullRunsFor,
  mayContinue,
  nextRun,
  record,
  rungReached,
  startHalving,
  winner,
  type HalvingState,
} from './halving';
import {
  defaultSpace,
  describeSettings,
  settingsOf,
  trialSettings,
  withSettings,
  type SearchSpace,
  type TrialSettings,
} from './space';

/*
 * The settings search: trials of the real trainer, on the run's own data and backend, chosen by successive halving
 * on validation AUC alone. Trials never see the test split (they train with none): it is scored once, after the
 * winner is chosen, by the caller's final run. The base weights stay in memory between trials; a trial that may go
 * on keeps its state (weights and AdamW's moments) on the host until it does.
 */

export interface SearchOptions {
  /** The time the search may take, in seconds (the LR finder's sweep and every trial); null: no limit. */
  budgetSeconds: number | null;
  /** At most this many trials, the recipe's (and the LR finder's) included. */
  maxTrials: number;
  /** The seed of the drawn settings (each trial trains with the run's own seed). */
  seed: number;
  eta: number;
  rungs: number;
  /** Add the LR finder's suggested rate as a trial (its sweep counts against the budget). */
  lrFinder: boolean;
  space?: SearchSpace;
}

export const DEFAULT_SEARCH: SearchOptions = {
  budgetSeconds: null,
  maxTrials: 27,
  seed: 0,
  eta: 3,
  rungs: 3,
  lrFinder: true,
};

export type TrialOrigin = 'recipe' | 'lr-finder' | 'drawn';

/** One trial as the search reports it: its settings, its validation AUC at each rung, how far it went. */
export interface TrialRecord {
  index: number;
  origin: TrialOrigin;
  settings: TrialSettings;
  /** Validation AUC at the end of each rung it finished (null: undefined there, e.g. a NaN loss). */
  scores: Array<number | null>;
  bestValAuc: number | null;
  /** The highest rung finished (−1: none yet). */
  rung: number;
  steps: number;
  seconds: number;
  /** Left behind at a rung (not promoted), or not run because the time ran out. */
  stopped: boolean;
}

export interface SearchEvents {
  log?(message: string): void;
  /** A trial's record, after each rung it finishes. */
  trial?(t: TrialRecord): void;
  /** Every validation evaluation of every trial, for the live chart. */
  evaluation?(trial: number, e: EvalPoint): void;
}

export interface SearchRequest extends Omit<RunRequest, 'resume' | 'events' | 'endAt' | 'saveStateEvery'> {
  options: SearchOptions;
  events?: SearchEvents;
  signal?: AbortSignal;
  /** Wall time in milliseconds (tests pass a fake clock). */
  now?: () => number;
  /** The data and model already prepared from this request (`prepareRun`); prepared here when absent. */
  prepared?: PreparedRun;
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

/** The number of trials whose halving fits in `seconds`, given one full run's time; at least 1. */
export function trialsThatFit(
  seconds: number,
  fullRunSeconds: number,
  o: SearchOptions,
  max: number,
): number {
  let n = 1;
  while (n < max && fullRunsFor(n + 1, o.eta, o.rungs, true) * fullRunSeconds <= seconds) n++;
  return n;
}

export async function runSearch(req: SearchRequest): Promise<SearchOutcome> {
  const search = await Search.start(req);
  for (let next = nextRun(search.halving); next; next = nextRun(search.halving)) {
    req.signal?.throwIfAborted();
    if (!search.fits(next.trial, next.rung)) break;
    await search.segment(next.trial, next.rung);
  }
  return search.outcome();
}

/** A search under way: its trials, the halving, the states of the trials that may go on, and the clock. */
class Search {
  halving: HalvingState;
  readonly trials: TrialRecord[];
  private readonly states = new Map<number, TrainState>();
  /** Seconds per trained example, measured on the first segment (the recipe's first rung). */
  private perExample: number | null = null;
  private ending = 'every rung finished.';
  private readonly now: () => number;
  private readonly started: number;
  private readonly deadline: number;

  private constructor(
    private readonly req: SearchRequest,
    private readonly prepared: PreparedRun,
    private readonly classical: RunState['classical'],
    private readonly candidates: TrialSettings[],
    origins: TrialOrigin[],
  ) {
    this.now = req.now ?? (() => performance.now());
    this.started = this.now();
    const budget = req.options.budgetSeconds;
    this.deadline = budget === null ? Infinity : this.started + budget * 1000;
    this.trials = candidates.map((settings, index) => ({
      index,
      origin: origins[index]!,
      settings,
      scores: [],
      bestValAuc: null,
      rung: -1,
      steps: 0,
      seconds: 0,
      stopped: false,
    }));
    const o = req.options;
    this.halving = startHalving(candidates.length, { eta: o.eta, rungs: o.rungs, reference: 0 });
  }

  /** Prepares the data once, fits the classical baseline, runs the LR finder, and draws the trials' settings. */
  static async start(req: SearchRequest): Promise<Search> {
    const o = req.options;
    const log = (m: string) => req.events?.log?.(m);
    const { events: _events, prepared: given, ...run } = req;
    const prepared = given ?? prepareRun({ ...run, events: { log } });
    const classical = await classicalOutcome(
      prepared.data.spec,
      prepared.data,
      prepared.config.classicalBaseline,
    );
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
    return new Search(req, prepared, classical, candidates, origins);
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
    const r = this.trials[trial]!;
    this.req.events?.log?.(
      `trial ${trial + 1} (${describeSettings(r.settings)}): validation AUC ${r.scores.at(-1)?.toFixed(3) ?? 'undefined'} at rung ${rung + 1} (step ${r.steps}, ${r.seconds.toFixed(0)} s)`,
    );
    this.req.events?.trial?.(r);
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
      o.budgetSeconds === null ? this.trials.length : trialsThatFit(left, full, o, this.trials.length);
    if (n < this.trials.length) this.halving = truncate(this.halving, this.trials, this.candidates, n);
    const rungs = this.halving.rungs.map((s) => `${+(s * 100).toFixed(1)} %`).join(', ');
    this.req.events?.log?.(
      `Settings search: ${n} trials by successive halving (η ${o.eta}, rungs at ${rungs} of ${config.epochs} epochs); a full run takes about ${full.toFixed(0)} s here${o.budgetSeconds === null ? '' : `, the budget is ${o.budgetSeconds} s`}.`,
    );
  }

  outcome(): SearchOutcome {
    const won = winner(this.halving);
    const state = won === null ? undefined : this.states.get(won);
    if (won === null || !state) throw new Error('Search.outcome: no trial finished a rung');
    const last = this.halving.rungs.length - 1;
    for (const r of this.trials) r.stopped = r.index !== won && r.index !== 0 && r.rung < last;
    const { data, checkpoint } = this.prepared;
    const config = this.config(won);
    const at = new Date().toISOString();
    return {
      trials: this.trials,
      winner: won,
      reference: 0,
      winnerState: {
        config,
        roles: this.req.roles,
        fingerprint: dataFingerprint(this.req.roles, [data.train, data.validation, data.test]),
        dataFile: this.req.data.file,
        baseModel: checkpoint.source,
        totalSteps: planSchedule(data.train.length, config).totalSteps,
        classical: this.classical,
        createdAt: at,
        savedAt: at,
        caller: {},
        train: state,
      },
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
  const model = classifierFor(prepared, { backend: req.backend });
  try {
    const result = await findLearningRate({
      model,
      tokenizer: prepared.checkpoint.tokenizer,
      config: prepared.config,
      spec: prepared.data.spec,
      train: prepared.data.train,
      options: LR_FINDER,
    });
    return result.suggestion;
  } finally {
    model.dispose();
  }
}
