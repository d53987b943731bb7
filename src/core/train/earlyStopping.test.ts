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
  it('patience 0 never stops but still tracks the best step', () => {
    const s = new EarlyStopper('auc', 0, m(0.5, 1));
    expect(s.enabled).toBe(false);
    for (let k = 1; k < 10; k++) expect(s.observe(k, m(0.4, 1)).stop).toBe(false);
    expect(s.bestStep).toBe(0);
  });
});
