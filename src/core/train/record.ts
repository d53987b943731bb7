import type { ClassicalOutcome, ModelComparison } from '../baseline/classical';
import type { AppliedChanges } from '../audit/changes';
import type { ColumnRoles } from '../data/dataset';
import type { LabelSpec } from '../data/labels';
import type { TrainConfig } from './config';
import type { PairedAuc } from '../metrics/interval';
import type { SliceReport } from '../metrics/slices';
import type { TrainResult } from './trainer';

/*
 * What a run leaves on record: the run record an export, the run history and the model card read, and TabTune's
 * block in config.json. Types only, and nothing else of the export's writers: they all import from here.
 */

export type RecordedResult = Omit<TrainResult, 'finalScores'>;

/** What an export records about the run, beside the weights. */
export interface RunRecord {
  baseModel: string;
  roles: ColumnRoles;
  trainConfig: TrainConfig;
  spec: LabelSpec;
  data: {
    file: string;
    usableRows: number;
    badRows: number;
    train: number;
    validation: number;
    test: number;
    /** Rows left out or relabelled after a label audit (absent when none were). */
    labelChanges?: AppliedChanges;
  };
  /** The trainer's result, less its row scores (kept only to compute `comparison`). */
  result: RecordedResult | null;
  /** The fine-tuned model against the classical baseline on the same rows (absent in older records). */
  comparison?: ModelComparison | null;
  /** The classical baseline on the same split (absent in records of older TabTune versions). */
  classical?: ClassicalOutcome;
  backend: string;
  /** The settings search that chose this run's settings (core/search), when one did. */
  search?: SearchSummary;
  /** The held-out metrics per value of the slice column, when the roles name one. */
  slices?: SliceReport | null;
  /** How the backend was chosen: measured for this job (with each backend's figures) or by hand. */
  backendDecision?: string;
  createdAt: string;
}

/** TabTune's own block in config.json: how outputs map back to ratings. HF keeps unknown keys as is. */
export interface TabTuneConfigBlock {
  task: LabelSpec['task'];
  scale: LabelSpec['scale'];
  threshold: number;
  classes: number[];
  /** Multi-label: the labels in the model's output order, and each one's threshold as validation chose it. */
  labels?: string[];
  label_thresholds?: number[];
  text_column: string;
  text_pair_column: string | null;
}

/** The winner (a) against the recipe's trial (b) on test, with the paired 95 % interval of the difference. */
export interface RecipeComparison extends PairedAuc {
  split: 'test' | 'validation';
  /** The recipe's trial trained this many of its steps (fewer when the time ran out before its end). */
  recipeSteps: number;
  recipeTotalSteps: number;
}

/** What an export records of the search that chose its settings (the model card and metrics.json show it). */
export interface SearchSummary {
  trials: number;
  seconds: number;
  budgetSeconds: number | null;
  winner: number;
  winnerSettings: string;
  winnerValAuc: number | null;
  recipeSettings: string;
  recipeValAuc: number | null;
  /** null when the recipe won (nothing to compare) or the split had too few rows of a class. */
  vsRecipe: RecipeComparison | null;
  ending: string;
}
