import type { ColumnRoles } from '../core/data/dataset';
import type { FineTuneChoice } from '../core/model/memory';
import type { TrainConfig } from '../core/train/config';
import type { BaseKind, ModelSummary } from '../shared/protocol';
import { formatCount } from './format';
import { describeLabels } from './labelChoice';

/*
 * The one-line summaries a finished step folds to (and the Quick start reads as one sentence): what a person gave
 * — the file and its columns, the model, the recipe's key settings. Pure.
 */

/** "reviews.csv, 2,000 usable rows: text “review” with “customer”, rating “rating”". */
export function dataLine(file: string, usable: number | null, roles: ColumnRoles): string {
  const rows = usable === null ? '' : `, ${usable.toLocaleString('en-US')} usable rows`;
  const pair = roles.pair ? ` with “${roles.pair}”` : '';
  return `${file}${rows}: text “${roles.text}”${pair}, ${describeLabels(roles)}`;
}

/** What a run fine-tunes: the loaded model's source, or "from scratch" (none loaded, or chosen so). */
export function runModel(base: BaseKind, model: ModelSummary | null): string {
  return base === 'loaded' && model ? model.source : 'from scratch';
}

/** The Model step: "google/bert_uncased_L-2_H-128_A-2 (2 layers, hidden 128), 4.4M parameters", or none loaded. */
export function modelLine(model: ModelSummary | null): string {
  if (!model) return 'None loaded: a run trains a small BERT from scratch';
  return `${model.source} (${model.layers} layers, hidden ${model.hidden}), ${formatCount(model.parameters)} parameters`;
}

/** What trains, in the studio's words: "LoRA r 8", "the head only" or "all weights" (the Model step's estimate too). */
export function fineTuneChoiceWords(choice: FineTuneChoice): string {
  if (choice.lora) return `LoRA r ${choice.lora.r}`;
  return choice.headOnly ? 'the head only' : 'all weights';
}

/** How a run fine-tunes, when not every weight: "LoRA r 8", "the head only", "the embeddings and 2 layers frozen". */
function fineTuneWords(c: Pick<TrainConfig, 'lora' | 'freeze'>): string | null {
  if (c.lora || c.freeze.headOnly) return fineTuneChoiceWords({ lora: c.lora, headOnly: c.freeze.headOnly });
  const frozen = [
    c.freeze.embeddings ? 'the embeddings' : null,
    c.freeze.bottomLayers > 0 ? `${c.freeze.bottomLayers} layer(s)` : null,
  ].filter((w) => w !== null);
  return frozen.length > 0 ? `${frozen.join(' and ')} frozen` : null;
}

/** The recipe's key settings: "3 epoch(s), learning rate 0.0001, batch 32, up to 128 tokens" (and how it fine-tunes). */
export function settingsLine(
  c: Pick<TrainConfig, 'epochs' | 'learningRate' | 'batchSize' | 'maxLength' | 'lora' | 'freeze'>,
): string {
  const how = fineTuneWords(c);
  return (
    `${c.epochs} epoch(s), learning rate ${c.learningRate}, batch ${c.batchSize}, up to ${c.maxLength} tokens` +
    (how ? `, ${how}` : '')
  );
}
