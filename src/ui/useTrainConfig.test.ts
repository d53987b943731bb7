import { describe, expect, it } from 'vitest';
import { recipeNote } from './useTrainConfig';

describe('recipeNote', () => {
  it("is the recipe's reason, naming the values the user set", () => {
    expect(recipeNote('Why.', new Set())).toBe('Why.');
    expect(recipeNote('Why.', new Set(['epochs'] as const))).toBe(
      'Why. Your own epochs stay as you set them.',
    );
    expect(recipeNote('Why.', new Set(['learningRate', 'epochs'] as const))).toBe(
      'Why. Your own learning rate and epochs stay as you set them.',
    );
  });
});
