import type { TrainConfig } from './config';

/**
 * Learning rate and epochs that fit the model in hand. A fine-tuning rate under-trains a model that starts
 * from scratch, and a miniature's rate is too high for BERT-base, so the defaults follow the model:
 * - from scratch: 1e-3, 4 epochs — measured on 2,000 real reviews (docs/training.md): validation
 *   AUC 0.69, 0.90, 0.94 and 0.90 at 1e-4, 5e-4, 1e-3 and 2e-3;
 * - a checkpoint of hidden size ≤ 512 (Google's BERT miniatures): 1e-4, 4 epochs — the low end of their
 *   README's grid (1e-4…3e-4, 4 epochs);
 * - larger (BERT-base and up): 3e-5, 3 epochs — within the BERT paper's 2e-5…5e-5, 2–4 epochs.
 * Pure; the studio and the CLI apply it unless the user set the value (`applyRecipe`).
 */
export interface Recipe {
  learningRate: number;
  epochs: number;
  /** One line a person reads: what it is for, and why. */
  reason: string;
}

export type RecipeModel = { kind: 'scratch' } | { kind: 'checkpoint'; hiddenSize: number };

export function recipeFor(model: RecipeModel): Recipe {
  if (model.kind === 'scratch') {
    return {
      learningRate: 1e-3,
      epochs: 4,
      reason:
        'From scratch: learning rate 1e-3 and 4 epochs — a model with no pretraining needs a far higher rate than fine-tuning (1e-4 under-trains it).',
    };
  }
  if (model.hiddenSize <= 512) {
    return {
      learningRate: 1e-4,
      epochs: 4,
      reason: `A small pretrained BERT (hidden size ${model.hiddenSize}): learning rate 1e-4 and 4 epochs, from the BERT miniatures' recommended range (1e-4…3e-4).`,
    };
  }
  return {
    learningRate: 3e-5,
    epochs: 3,
    reason: `A BERT-base-sized model (hidden size ${model.hiddenSize}): learning rate 3e-5 and 3 epochs, within the BERT paper's range (2e-5…5e-5); higher rates can wreck its pretraining.`,
  };
}

/** The fields a recipe sets. */
export type RecipeField = 'learningRate' | 'epochs';

/** `config` with the recipe's values, except the fields the user set themselves. Pure. */
export function applyRecipe(
  config: TrainConfig,
  recipe: Recipe,
  setByUser: ReadonlySet<RecipeField>,
): TrainConfig {
  return {
    ...config,
    learningRate: setByUser.has('learningRate') ? config.learningRate : recipe.learningRate,
    epochs: setByUser.has('epochs') ? config.epochs : recipe.epochs,
  };
}
