import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from './config';
import { applyRecipe, recipeFor } from './recipe';

describe('recipeFor', () => {
  it('gives a model from scratch a higher rate than fine-tuning, and BERT-base a lower one', () => {
    const scratch = recipeFor({ kind: 'scratch' });
    const mini = recipeFor({ kind: 'checkpoint', hiddenSize: 256 });
    const base = recipeFor({ kind: 'checkpoint', hiddenSize: 768 });
    expect([scratch.learningRate, mini.learningRate, base.learningRate]).toEqual([1e-3, 1e-4, 3e-5]);
    expect([scratch.epochs, mini.epochs, base.epochs]).toEqual([4, 4, 3]);
    expect(base.reason).toMatch(/hidden size 768/);
    expect(scratch.reason).toMatch(/scratch/);
  });
});

describe('applyRecipe', () => {
  const recipe = recipeFor({ kind: 'scratch' });
  it("sets the recipe's learning rate and epochs", () => {
    const c = applyRecipe({ ...DEFAULT_TRAIN_CONFIG, learningRate: 1e-4, epochs: 2 }, recipe, new Set());
    expect([c.learningRate, c.epochs]).toEqual([1e-3, 4]);
  });
  it('keeps what the user set, and every other setting', () => {
    const mine = { ...DEFAULT_TRAIN_CONFIG, learningRate: 2e-4, epochs: 7, batchSize: 8 };
    const c = applyRecipe(mine, recipe, new Set(['learningRate'] as const));
    expect([c.learningRate, c.epochs, c.batchSize]).toEqual([2e-4, 4, 8]);
    expect(applyRecipe(mine, recipe, new Set(['learningRate', 'epochs'] as const))).toEqual(mine);
  });
});
