/** Google's BERT miniatures (uncased) on the Hugging Face Hub. */
export const MODEL_PRESETS = [
  { id: 'google/bert_uncased_L-2_H-128_A-2', label: 'BERT-tiny (2 layers, hidden 128, 4.4M parameters)' },
  { id: 'google/bert_uncased_L-4_H-256_A-4', label: 'BERT-mini (4 layers, hidden 256, 11M parameters)' },
  { id: 'google/bert_uncased_L-4_H-512_A-8', label: 'BERT-small (4 layers, hidden 512, 29M parameters)' },
  { id: 'google/bert_uncased_L-8_H-512_A-8', label: 'BERT-medium (8 layers, hidden 512, 41M parameters)' },
] as const;

export const DEFAULT_MODEL_ID = MODEL_PRESETS[0].id;
