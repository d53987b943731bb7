/*
 * Successive halving (Jamieson & Talwalkar 2016; the synchronous form of ASHA, Li et al. 2020): every trial trains
 * to the first rung's budget, the best 1/η of them go on to the next rung's, and so on up to the full budget. A
 * trial behind the others stops early, so many settings cost about what a few full runs do. The reference trial
 * (the recipe's settings) always goes on to the full budget, outside the count, so that the winner is compared with
 * the recipe trained as long. Pure: the search engine (search.ts) runs what `nextRun` names and `record`s its score.
 */

/** A trial's validation score at each rung it reached (null: undefined there, e.g. a NaN loss). */
export type RungScores = Array<number | null>;

export interface HalvingState {
  /** The share of the full budget each rung trains to, ascending; the last is 1. */
  rungs: number[];
  eta: number;
  /** Per trial, its score at each rung it finished. */
  scores: RungScores[];
  /** The trial that always goes to the last rung (the recipe's settings), or null. */
  reference: number | null;
  /** Set when the time ran out: nothing more runs, and the winner is chosen from what finished. */
  ended: boolean;
}

/** Rung budgets for η and a number of rungs: η = 3, 3 rungs → 1/9, 1/3, 1. */
export function rungShares(eta: number, count: number): number[] {
  return Array.from({ length: count }, (_, r) => 1 / eta ** (count - 1 - r));
}

export function startHalving(
  trials: number,
  options: { eta?: number; rungs?: number; reference?: number | null } = {},
): HalvingState {
  const eta = options.eta ?? 3;
  if (!(trials >= 1 && Number.isInteger(trials))) throw new Error(`startHalving: ${trials} trials`);
  return {
    rungs: rungShares(eta, options.rungs ?? 3),
    eta,
    scores: Array.from({ length: trials }, () => []),
    reference: options.reference ?? null,
    ended: false,
  };
}

/** Higher first; an undefined score last; ties to the earlier trial (the recipe, then the LR finder's rate). */
function better(state: HalvingState, rung: number) {
  return (a: number, b: number): number => {
    const [x, y] = [state.scores[a]![rung] ?? -Infinity, state.scores[b]![rung] ?? -Infinity];
    return x !== y ? y - x : a - b;
  };
}

/** How many trials (the reference aside) a rung promotes out of `entered`: ⌈entered / η⌉, at least one. */
function promotions(state: HalvingState, entered: number): number {
  return Math.max(1, Math.ceil(entered / state.eta));
}

const finished = (state: HalvingState, trial: number, rung: number) => state.scores[trial]!.length > rung;

/** The trials that train at `rung`: all at rung 0; then the best of the rung below once it is complete. */
export function entrants(state: HalvingState, rung: number): number[] {
  const all = state.scores.map((_, i) => i);
  if (rung === 0) return all;
  const below = entrants(state, rung - 1);
  if (!below.every((t) => finished(state, t, rung - 1))) return [];
  const others = below.filter((t) => t !== state.reference).sort(better(state, rung - 1));
  const promoted = others.slice(0, promotions(state, others.length));
  if (state.reference !== null && below.includes(state.reference)) promoted.push(state.reference);
  return promoted.sort((a, b) => a - b);
}

/** The next trial to train, and to which rung; null when the search is over (every rung done, or time ran out). */
export function nextRun(state: HalvingState): { trial: number; rung: number } | null {
  if (state.ended) return null;
  for (let rung = 0; rung < state.rungs.length; rung++) {
    const waiting = entrants(state, rung).find((t) => !finished(state, t, rung));
    if (waiting !== undefined) return { trial: waiting, rung };
  }
  return null;
}

/** The state with `trial`'s validation score at `rung`. */
export function record(state: HalvingState, trial: number, rung: number, score: number | null): HalvingState {
  const next = nextRun(state);
  if (!next || next.trial !== trial || next.rung !== rung)
    throw new Error(`record: trial ${trial} at rung ${rung} is not the run under way`);
  const scores = state.scores.map((s, i) => (i === trial ? [...s, score] : s));
  return { ...state, scores };
}

/** The state with nothing more to run (the time ran out). */
export function end(state: HalvingState): HalvingState {
  return { ...state, ended: true };
}

/** The highest rung a trial finished (−1: none). */
export function rungReached(state: HalvingState, trial: number): number {
  return state.scores[trial]!.length - 1;
}

/**
 * The winner: the best score at the highest rung any trial other than the reference finished (the reference
 * competes there too), ties to the earlier trial; null before any score.
 */
export function winner(state: HalvingState): number | null {
  const top = Math.max(...state.scores.map((s) => s.length - 1));
  if (top < 0) return null;
  const candidates = state.scores.map((_, i) => i).filter((t) => finished(state, t, top));
  return candidates.sort(better(state, top))[0] ?? null;
}

/**
 * Whether a trial that just finished `rung` may still train further or win: otherwise its saved state can go. It
 * may while it is the reference, or among the best so far of the rung's entrants (a later trial can only push it
 * down), counting what the rung promotes (or, at the last rung, the one winner).
 */
export function mayContinue(state: HalvingState, trial: number, rung: number): boolean {
  if (trial === state.reference) return true;
  const last = rung === state.rungs.length - 1;
  const field = entrants(state, rung).filter(
    (t) => finished(state, t, rung) && (last || t !== state.reference),
  );
  const others = entrants(state, rung).filter((t) => t !== state.reference).length;
  const keep = last ? 1 : promotions(state, others);
  return field.sort(better(state, rung)).slice(0, keep).includes(trial);
}

/**
 * The training a halving of `trials` trials costs, in full runs: each rung's entrants times the budget added
 * since the rung below (the reference always to the end). Pure, for fitting the number of trials to a time budget.
 */
export function fullRunsFor(trials: number, eta: number, rungCount: number, withReference: boolean): number {
  const shares = rungShares(eta, rungCount);
  let others = trials - (withReference ? 1 : 0);
  let cost = withReference ? 1 : 0;
  for (let r = 0; r < shares.length; r++) {
    cost += others * (shares[r]! - (r === 0 ? 0 : shares[r - 1]!));
    others = others === 0 ? 0 : Math.max(1, Math.ceil(others / eta));
  }
  return cost;
}

/** The most trials (at most `max`, at least 1) whose halving fits in `seconds`, given one full run's time. Pure. */
export function trialsThatFit(
  seconds: number,
  fullRunSeconds: number,
  eta: number,
  rungCount: number,
  max: number,
): number {
  let n = 1;
  while (n < max && fullRunsFor(n + 1, eta, rungCount, true) * fullRunSeconds <= seconds) n++;
  return n;
}
