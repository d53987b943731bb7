import { describe, expect, it } from 'vitest';
import { BERT_CONFIG_DEFAULTS } from './config';
import { dropoutRates } from './dropout';

describe('dropoutRates', () => {
  it("the checkpoint's rates, with HF's classifier_dropout for the head when it is set", () => {
    expect(dropoutRates({ ...BERT_CONFIG_DEFAULTS, attention_probs_dropout_prob: 0.2 }, null)).toEqual({
      hidden: 0.1,
      attention: 0.2,
      classifier: 0.1,
    });
    const withHead = { ...BERT_CONFIG_DEFAULTS, classifier_dropout: 0.4 } as typeof BERT_CONFIG_DEFAULTS;
    expect(dropoutRates(withHead, null).classifier).toBe(0.4);
  });
  it("a run's setting replaces all three", () => {
    expect(dropoutRates(BERT_CONFIG_DEFAULTS, 0)).toEqual({ hidden: 0, attention: 0, classifier: 0 });
  });
});
