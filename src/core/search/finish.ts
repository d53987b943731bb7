import { EncodedRows } from '../tokenizer/encodedRows';
import { pairedAucDifference } from '../metrics/interval';
import type { RecipeComparison, SearchSummary } from '../train/record';
import type { SequenceClassifier } from '../model/classifier';
import { assignAll } from '../train/adamw';
import { evaluateSplit } from '../train/evaluate';
import { classifierFor, type FinishedRun } from '../train/run';
import type { TrainState } from '../train/runState';
import { planSchedule } from '../train/schedule';
import type { SearchOutcome, TrialRecord } from './search';
import { describeSettings, withSettings } from './space';

/*
 * After the search: the winner against the recipe on the test split, scored once, paired on the same rows; and what
 * the export records of the search.
 */

async function scores(model: SequenceClassifier, run: FinishedRun, split: 'test' | 'validation') {
  const { spec } = run.data;
  const rows = run.data[split];
  const { tokenizer } = run.checkpoint;
  const enc = EncodedRows.encode(tokenizer, rows, run.record.trainConfig.maxLength);
  const { rankScores } = await evaluateSplit(model, spec, enc, rows, tokenizer.padId, 64);
  return rankScores;
}

/**
 * The finished winner's run against the recipe's trained weights, on the test split (validation when there is no
 * test split) — the first and only time the search's models see it.
 */
export async function compareWithRecipe(
  run: FinishedRun,
  outcome: SearchOutcome,
  backend: string,
): Promise<RecipeComparison | null> {
  const reference: TrainState | null = outcome.referenceState;
  if (outcome.winner === outcome.reference || !reference) return null;
  const split = run.data.test.length > 0 ? 'test' : 'validation';
  const recipeConfig = withSettings(run.record.trainConfig, outcome.trials[outcome.reference]!.settings);
  const recipe = classifierFor(
    { data: run.data, checkpoint: run.checkpoint, config: recipeConfig },
    { backend },
  );
  try {
    assignAll(new Map(recipe.namedParameters()), reference.weights, 'the recipe trial’s weights');
    const positive = run.data[split].map((e) => e.rating >= run.data.spec.threshold);
    const paired = pairedAucDifference(
      positive,
      await scores(run.model, run, split),
      await scores(recipe, run, split),
    );
    return (
      paired && {
        ...paired,
        split,
        recipeSteps: reference.step,
        recipeTotalSteps: planSchedule(run.data.train.length, recipeConfig).totalSteps,
      }
    );
  } finally {
    recipe.dispose();
  }
}

export function searchSummary(
  outcome: SearchOutcome,
  vsRecipe: RecipeComparison | null,
  budgetSeconds: number | null,
): SearchSummary {
  const w = outcome.trials[outcome.winner] as TrialRecord;
  const r = outcome.trials[outcome.reference] as TrialRecord;
  return {
    trials: outcome.trials.length,
    seconds: outcome.seconds,
    budgetSeconds,
    winner: outcome.winner,
    winnerSettings: describeSettings(w.settings),
    winnerValAuc: w.scores.at(-1) ?? null,
    recipeSettings: describeSettings(r.settings),
    recipeValAuc: r.scores.at(-1) ?? null,
    vsRecipe,
    ending: outcome.ending,
  };
}
