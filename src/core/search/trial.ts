import type { SearchSpace, TrialSettings } from './space';

/* The search's options and its trials as it reports them: shared by the engine, its saved state and its callers. */

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
