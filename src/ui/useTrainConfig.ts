import { useCallback, useEffect, useMemo, useState } from 'react';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../core/train/config';
import { applyRecipe, recipeFor, type RecipeField } from '../core/train/recipe';
import type { ModelSummary, BaseKind } from '../shared/protocol';
import type { ColumnRoles } from '../core/data/dataset';
import { taskForRoles } from './labelChoice';

/**
 * The run's settings. The learning rate and epochs follow the model in hand (train/recipe.ts) — from scratch,
 * or the loaded checkpoint's size — until the user sets them; the note says which recipe applies and why.
 */
export function useTrainConfig(base: BaseKind, model: ModelSummary | null) {
  const [config, setConfig] = useState<TrainConfig>(() =>
    applyRecipe(DEFAULT_TRAIN_CONFIG, recipeFor({ kind: 'scratch' }), new Set()),
  );
  const [setByUser, setSetByUser] = useState<ReadonlySet<RecipeField>>(new Set());
  const hidden = base === 'loaded' && model ? model.hidden : null;
  const recipe = useMemo(
    () => recipeFor(hidden !== null ? { kind: 'checkpoint', hiddenSize: hidden } : { kind: 'scratch' }),
    [hidden],
  );
  useEffect(() => {
    setConfig((c) => applyRecipe(c, recipe, setByUser));
  }, [recipe, setByUser]);
  const onConfig = useCallback(
    (next: TrainConfig) => {
      const changed = (['learningRate', 'epochs'] as const).filter((f) => next[f] !== config[f]);
      if (changed.length > 0) setSetByUser((s) => new Set([...s, ...changed]));
      setConfig(next);
    },
    [config],
  );
  /** A label audit's decisions for the next run (cleared when the file or its columns change). */
  const setLabelChanges = useCallback(
    (labelChanges: TrainConfig['labelChanges']) => setConfig((c) => ({ ...c, labelChanges })),
    [],
  );
  /** The task the Data step's choice of labels calls for (multi-label for several labels; labelChoice.ts). */
  const syncTask = useCallback(
    (roles: ColumnRoles | null) =>
      setConfig((c) => {
        const task = taskForRoles(roles, c.task);
        return task === c.task ? c : { ...c, task };
      }),
    [],
  );
  return { config, onConfig, setLabelChanges, syncTask, recipeNote: recipeNote(recipe.reason, setByUser) };
}

/** The recipe's reason, and which of its values the user's own settings replace. Pure. */
export function recipeNote(reason: string, setByUser: ReadonlySet<RecipeField>): string {
  const names = { learningRate: 'learning rate', epochs: 'epochs' } as const;
  const kept = [...setByUser].map((f) => names[f]);
  return kept.length === 0 ? reason : `${reason} Your own ${kept.join(' and ')} stay as you set them.`;
}
