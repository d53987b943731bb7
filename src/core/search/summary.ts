import type { SearchSummary } from '../train/record';

const f3 = (x: number | null) => (x === null ? 'undefined' : x.toFixed(3).replace('-', '−'));

/**
 * The search in a few sentences: what won, how it did against the recipe on test with the paired interval, and why
 * the winner's validation AUC reads high. Pure; the CLI, the model card and the studio show it.
 */
export function describeSearch(s: SearchSummary): string[] {
  const lines = [
    `Settings search: ${s.trials} trials by successive halving in ${Math.round(s.seconds)} s${s.budgetSeconds === null ? '' : ` (budget ${Math.round(s.budgetSeconds)} s)`}; ${s.ending}`,
    s.winner === 0
      ? `The recipe's settings won (${s.recipeSettings}): validation AUC ${f3(s.recipeValAuc)}.`
      : `Winner: trial ${s.winner + 1} (${s.winnerSettings}), validation AUC ${f3(s.winnerValAuc)}, against the recipe's (${s.recipeSettings}) ${f3(s.recipeValAuc)}.`,
  ];
  const c = s.vsRecipe;
  if (c) {
    const verdict =
      c.low > 0
        ? 'the winner is ahead of the recipe'
        : c.high < 0
          ? 'the recipe is ahead of the winner'
          : 'the two are not distinguishable';
    lines.push(
      `On ${c.split} (scored once, after the choice): winner ${f3(c.a)}, recipe ${f3(c.b)}; difference ${f3(c.difference)} (95 % interval ${f3(c.low)} to ${f3(c.high)}, paired on ${c.n} rows): ${verdict}${c.recipeSteps < c.recipeTotalSteps ? ` (the recipe trained ${c.recipeSteps} of ${c.recipeTotalSteps} steps before the time ran out)` : ''}.`,
    );
  }
  lines.push(
    "The winner's validation AUC is optimistic: it was chosen for being the highest of the trials on those same rows. The test split, which no trial saw, is the honest measure.",
  );
  return lines;
}
