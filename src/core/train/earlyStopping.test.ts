import { describe, expect, it } from 'vitest';
import { EarlyStopper } from './earlyStopping';
import type { EvalMetrics } from './evaluate';

const m = (auc: number | null, loss: number): EvalMetrics => ({
  n: 10,
  loss,
  auc,
  rmse: null,
  mae: null,
  accuracy: null,
  macroF1: null,
});

describe('EarlyStopper', () => {
  it('watches AUC: stops after `patience` evaluations without a gain, remembering the best step', () => {
    const s = new EarlyStopper('auc', 2, m(0.5, 1));
    expect(s.metric).toBe('auc');
    expect(s.observe(10, m(0.7, 0.9))).toEqual({ improved: true, stop: false });
    expect(s.observe(20, m(0.7, 0.1))).toEqual({ improved: false, stop: false }); // equal is no gain
    expect(s.observe(30, m(0.6, 0.1))).toEqual({ improved: false, stop: true });
    expect(s.bestStep).toBe(10);
    expect(s.stopMessage(30)).toMatch(/validation AUC has not improved for 2 evaluations; keeping step 10/);
  });
  it('watches the loss when asked, lower being better', () => {
    const s = new EarlyStopper('loss', 1, m(0.5, 1));
    expect(s.observe(1, m(0.9, 0.8)).improved).toBe(true);
    expect(s.observe(2, m(0.99, 0.85))).toEqual({ improved: false, stop: true });
  });
  it('falls back to the loss when validation AUC is undefined, and says so', () => {
    const s = new EarlyStopper('auc', 3, m(null, 1));
    expect(s.metric).toBe('loss');
    expect(s.note).toMatch(/AUC is undefined.*validation loss/);
    expect(s.observe(1, m(null, 0.5)).improved).toBe(true);
  });
  it('patience 0 never stops but still tracks the best trained step', () => {
    const s = new EarlyStopper('auc', 0, m(0.5, 1));
    expect(s.enabled).toBe(false);
    expect(s.bestStep).toBeNull();
    for (let k = 1; k < 10; k++) expect(s.observe(k, m(0.4 - k / 100, 1)).stop).toBe(false);
    expect(s.bestStep).toBe(1);
  });
  it('never chooses the untrained model: the first trained evaluation is the best so far, however bad', () => {
    const s = new EarlyStopper('auc', 2, { ...m(0.61, 1), n: 60 });
    expect(s.observe(5, m(0.55, 1))).toEqual({ improved: true, stop: false });
    expect(s.observe(10, m(0.58, 1))).toEqual({ improved: true, stop: false });
    expect(s.observe(15, m(0.5, 1))).toEqual({ improved: false, stop: false });
    expect(s.observe(20, m(0.5, 1))).toEqual({ improved: false, stop: true });
    expect(s.bestStep).toBe(10);
    expect(s.stopMessage(20)).toMatch(/keeping step 10\.$/);
    expect(s.neverBeatUntrained()).toBe(
      'The fine-tuned model never beat the untrained one on validation AUC: 0.580 at best (step 10) against 0.610 before training, on 60 rows. Likely too few validation rows (60) for a stable AUC, or a learning rate too high for this data.',
    );
  });
  it('says nothing when a trained evaluation beat the untrained model, or none was made', () => {
    const s = new EarlyStopper('loss', 2, { ...m(null, 1), n: 500 });
    expect(s.neverBeatUntrained()).toBeNull();
    s.observe(5, m(null, 1.2));
    expect(s.neverBeatUntrained()).toMatch(
      /validation loss: 1\.200 at best \(step 5\) against 1\.000 .* on 500 rows\. Likely a learning rate/,
    );
    s.observe(10, m(null, 0.9));
    expect(s.neverBeatUntrained()).toBeNull();
  });
  it('round-trips its state; a state saved when step 0 could be chosen restores as no trained best yet', () => {
    const s = new EarlyStopper('auc', 3, m(0.5, 1));
    s.observe(4, m(0.7, 1));
    s.observe(8, m(0.6, 1));
    const t = new EarlyStopper('auc', 3, m(0.5, 1));
    t.restore(s.state());
    expect([t.bestStep, t.state()]).toEqual([4, { bestScore: 0.7, bestStep: 4, sinceBest: 1 }]);
    t.restore({ bestScore: 0.5, bestStep: 0, sinceBest: 2 });
    expect(t.bestStep).toBeNull();
    expect(t.observe(12, m(0.4, 1)).improved).toBe(true);
  });
});
