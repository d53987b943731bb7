import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithRecipe, searchSummary } from '../core/search/finish';
import { DEFAULT_SEARCH, runSearch, type SearchOutcome } from '../core/search/search';
import { describeSearch } from '../core/search/summary';
import type { SearchSummary } from '../core/train/record';
import { runTraining } from '../core/train/run';
import { log } from './common';
import { printedEvents, runRequestFor, writeAtomically, writeExport, type TrainArgs } from './train';
import { decodeSearch, encodeSearch, type SavedSearch } from '../core/search/saved';
import { TabTuneError } from '../core/errors';
import type { RecipeField } from '../core/train/recipe';

export interface SearchArgs extends TrainArgs {
  /** The time the search may take; null: no limit (then --trials alone bounds it). */
  budgetMinutes: number | null;
  /** At most this many trials. */
  trials: number;
  lrFinder: boolean;
}

/**
 * `search`: the settings search on the run's data and model, then the winner finished as `train` finishes a run —
 * validation and test scored (test for the first time), exported to `out` with its metrics and model card — and
 * `out/search.json` with every trial.
 */
export async function runSearchCommand(args: SearchArgs, resume: SavedSearch | null = null): Promise<void> {
  const { resume: _none, ...request } = await runRequestFor(args);
  mkdirSync(args.out, { recursive: true });
  const budgetSeconds = args.budgetMinutes === null ? null : args.budgetMinutes * 60;
  const statePath = join(args.out, SEARCH_STATE);
  const outcome = await runSearch({
    ...request,
    options: {
      ...DEFAULT_SEARCH,
      budgetSeconds,
      maxTrials: args.trials,
      seed: request.config.seed,
      lrFinder: args.lrFinder,
    },
    caller: { ...args, setByUser: [...args.setByUser] },
    resume,
    events: { log, save: (saved) => writeAtomically(statePath, encodeSearch(saved)) },
  });
  const state = outcome.winnerState;
  log(
    `The winner is trial ${outcome.winner + 1} (${state.train.step} of ${state.totalSteps} steps trained): scoring it on validation and test, and exporting it.`,
  );
  const metricsPath = join(args.out, 'metrics.jsonl');
  writeFileSync(metricsPath, '');
  const run = await runTraining({
    ...request,
    resume: state,
    events: printedEvents(metricsPath, state.train.history),
    ...(state.train.step < state.totalSteps ? { endAt: state.train.step } : {}),
  });
  const summary = searchSummary(
    outcome,
    await compareWithRecipe(run, outcome, request.backend),
    budgetSeconds,
  );
  run.record.search = summary;
  for (const line of describeSearch(summary)) log(line);
  await writeExport(run, args.out);
  writeFileSync(join(args.out, 'search.json'), `${JSON.stringify(searchJson(outcome, summary), null, 2)}\n`);
  rmSync(statePath, { force: true }); // the search is over: nothing to go on with
}

/** Where `search --out OUT` keeps the search's state while it runs (removed when it ends). */
const SEARCH_STATE = 'search-state.zip';

/** `search --resume OUT`: the search saved under OUT, with its own arguments, from where it was. */
export async function runSearchResume(out: string): Promise<void> {
  const path = join(out, SEARCH_STATE);
  if (!existsSync(path))
    throw new TabTuneError(
      'usage',
      `${out} holds no saved search (${SEARCH_STATE}). A search saves it there while it runs and removes it when it ends; start a new one with search --out ${out}.`,
    );
  const saved = decodeSearch(readFileSync(path), path);
  const caller = saved.progress.caller as unknown as SearchArgs & { setByUser: RecipeField[] };
  await runSearchCommand({ ...caller, out, setByUser: new Set(caller.setByUser) }, saved);
}

/** search.json: every trial (settings, validation AUC per rung, how far it went), the winner, and the comparison. */
export function searchJson(outcome: SearchOutcome, summary: SearchSummary) {
  return {
    trials: outcome.trials.map((t) => ({
      settings: t.settings,
      origin: t.origin,
      best_val_auc: t.bestValAuc,
      val_auc_per_rung: t.scores,
      steps: t.steps,
      seconds: Number(t.seconds.toFixed(2)),
      rung: t.rung,
      stopped: t.stopped,
    })),
    winner: outcome.winner,
    reference: outcome.reference,
    eta: outcome.halving.eta,
    rungs: outcome.halving.rungs,
    seconds: Number(outcome.seconds.toFixed(1)),
    budget_seconds: summary.budgetSeconds,
    ending: outcome.ending,
    vs_recipe: summary.vsRecipe,
    note: describeSearch(summary).at(-1),
  };
}
