import { describe, expect, it } from 'vitest';
import type { ColumnRoles } from '../core/data/dataset';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/config';
import type { ModelSummary } from '../shared/protocol';
import { dataLine, fineTuneChoiceWords, modelLine, runModel, settingsLine } from './stepSummaries';

const roles: ColumnRoles = { text: 'review', pair: 'customer', label: 'rating' };
const model = {
  source: 'huggingface.co/google/bert_uncased_L-2_H-128_A-2@main',
  layers: 2,
  hidden: 128,
  parameters: 4_386_178,
} as ModelSummary;

describe('the one-line summaries of the finished steps', () => {
  it('says the file, its usable rows and the columns a run reads', () => {
    expect(dataLine('reviews.csv', 2000, roles)).toBe(
      'reviews.csv, 2,000 usable rows: text “review” with “customer”, rating “rating”',
    );
    expect(dataLine('r.csv', null, { ...roles, pair: null })).toBe('r.csv: text “review”, rating “rating”');
    expect(dataLine('r.csv', 10, { ...roles, labelColumns: ['liked', 'dress'] })).toContain(
      'labels “liked”, “dress” (0/1)',
    );
  });

  it('says which model a run starts from, and what the model step loaded', () => {
    expect(runModel('loaded', model)).toBe(model.source);
    expect(runModel('scratch', model)).toBe('from scratch');
    expect(runModel('loaded', null)).toBe('from scratch');
    expect(modelLine(model)).toBe(
      'huggingface.co/google/bert_uncased_L-2_H-128_A-2@main (2 layers, hidden 128), 4.4M parameters',
    );
    expect(modelLine(null)).toBe('None loaded: a run trains a small BERT from scratch');
  });

  it('says the recipe’s key settings and how the model fine-tunes when not every weight trains', () => {
    const c = { ...DEFAULT_TRAIN_CONFIG, epochs: 3, learningRate: 1e-4, batchSize: 32, maxLength: 128 };
    expect(settingsLine(c)).toBe('3 epoch(s), learning rate 0.0001, batch 32, up to 128 tokens');
    const lora = { r: 8, alpha: 16, dropout: 0.05, targets: ['query', 'value'], rslora: false };
    expect(settingsLine({ ...c, lora })).toMatch(/, LoRA r 8$/);
    expect(fineTuneChoiceWords({ lora, headOnly: false })).toBe('LoRA r 8');
    expect(fineTuneChoiceWords({ lora: null, headOnly: true })).toBe('the head only');
    expect(fineTuneChoiceWords({ lora: null, headOnly: false })).toBe('all weights');
    expect(settingsLine({ ...c, freeze: { embeddings: false, bottomLayers: 0, headOnly: true } })).toMatch(
      /, the head only$/,
    );
    expect(settingsLine({ ...c, freeze: { embeddings: true, bottomLayers: 2, headOnly: false } })).toMatch(
      /, the embeddings and 2 layer\(s\) frozen$/,
    );
  });
});
