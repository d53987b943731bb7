import type { LoadedCheckpoint } from '../checkpoint/load';
import { numLabels, type LabelSpec } from '../data/labels';
import { TabTuneError } from '../errors';
import { SequenceClassifier } from '../model/classifier';
import { labelSpecFromConfig } from './export';

/** The longest input a checkpoint takes: the requested length, capped at its position embeddings. */
export function effectiveMaxLength(requested: number, checkpoint: LoadedCheckpoint): number {
  return Math.min(requested, checkpoint.config.max_position_embeddings);
}

/** The max length a fine-tuned model scores with: the one it was trained with (its tokenizer's), else 128. */
export function fineTunedMaxLength(checkpoint: LoadedCheckpoint): number {
  const declared = (checkpoint.rawConfig as { max_length?: number }).max_length;
  return effectiveMaxLength(checkpoint.tokenizerConfig.model_max_length ?? declared ?? 128, checkpoint);
}

/** A TabTune export ready to score: its label spec, its classifier and the input length it was trained with. */
export interface FineTuned {
  spec: LabelSpec;
  model: SequenceClassifier;
  maxLength: number;
  /** The columns it was trained on (config.json's tabtune block): text, and the second text or null. */
  trained: { text: string; pair: string | null };
}

/**
 * A warning when the rows to score give a second text and the model was trained without one, or the other way
 * round: the model then reads inputs unlike its training, and its scores drift. null when they agree. Pure.
 */
export function pairMismatch(trained: FineTuned['trained'], pair: string | null): string | null {
  if ((trained.pair === null) === (pair === null)) return null;
  return trained.pair === null
    ? `the model was trained on "${trained.text}" alone, but a second text ("${pair}") is given: its scores will drift. Leave the second text out (no --text-pair-column).`
    : `the model was trained with a second text ("${trained.pair}" beside "${trained.text}"), but none is given: its scores will drift. Give that column (--text-pair-column).`;
}

/** The one set of rules for loading a fine-tuned export (studio and CLI). */
export function loadFineTuned(checkpoint: LoadedCheckpoint): FineTuned {
  const { spec, block } = labelSpecFromConfig(checkpoint.rawConfig, checkpoint.source);
  const labels = numLabels(spec);
  if (checkpoint.report.classifierLabels !== labels) {
    throw new TabTuneError(
      'checkpoint',
      `${checkpoint.source} has no classifier weights for its ${labels} output(s); the export is incomplete. Export the model from TabTune again.`,
    );
  }
  const maxLength = fineTunedMaxLength(checkpoint);
  const model = new SequenceClassifier(checkpoint.config, checkpoint.weights, labels);
  return {
    spec,
    model,
    maxLength,
    trained: { text: block.text_column, pair: block.text_pair_column ?? null },
  };
}
