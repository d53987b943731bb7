import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../train/config';
import { defaultSpace, settingsOf, trialSettings, validateSpace, withSettings } from './space';

const config = { ...DEFAULT_TRAIN_CONFIG, learningRate: 1e-4 };

describe('the settings a search tries', () => {
  it('the recipe first, the LR finder’s rate second, then distinct draws over 1.5 decades of rate', () => {
    const space = defaultSpace(config);
    expect(Math.log10(space.learningRate[1] / space.learningRate[0])).toBeGreaterThanOrEqual(1.5);
    const trials = trialSettings(settingsOf(config), space, 10, 7, 3.14159e-4);
    expect(trials).toHaveLength(10);
    expect(trials[0]).toEqual(settingsOf(config));
    expect(trials[1]).toEqual({ ...settingsOf(config), learningRate: 3.1e-4 });
    expect(new Set(trials.map((t) => JSON.stringify(t))).size).toBe(10);
    // One drawn rate in each eighth of the log range: spread, not clustered.
    const [lo, hi] = space.learningRate.map(Math.log) as [number, number];
    const slices = trials.slice(2).map((t) => Math.floor((8 * (Math.log(t.learningRate) - lo)) / (hi - lo)));
    expect(new Set(slices.map((s) => Math.min(7, Math.max(0, s)))).size).toBeGreaterThanOrEqual(7);
    for (const t of trials.slice(2)) {
      expect(t.learningRate).toBeGreaterThanOrEqual(space.learningRate[0] * 0.95);
      expect(t.learningRate).toBeLessThanOrEqual(space.learningRate[1] * 1.05);
      expect(space.batchSize).toContain(t.batchSize);
      expect(t.loraRank).toBeNull();
    }
  });

  it('the same seed gives the same trials, another seed others', () => {
    const space = defaultSpace(config);
    expect(trialSettings(settingsOf(config), space, 8, 1)).toEqual(
      trialSettings(settingsOf(config), space, 8, 1),
    );
    expect(trialSettings(settingsOf(config), space, 8, 2)).not.toEqual(
      trialSettings(settingsOf(config), space, 8, 1),
    );
  });

  it('a LoRA run searches the rank too, alpha kept at 2 × r', () => {
    const lora = {
      ...config,
      lora: { r: 8, alpha: 16, dropout: 0.05, targets: ['query', 'value'], rslora: false },
    };
    const space = defaultSpace(lora);
    expect(space.loraRank).toEqual([8, 4, 16]);
    const applied = withSettings(lora, { ...settingsOf(lora), loraRank: 4 });
    expect(applied.lora).toMatchObject({ r: 4, alpha: 8, targets: ['query', 'value'] });
    expect(withSettings(config, settingsOf(config))).toEqual(config);
  });
});

describe('a search space a person edits', () => {
  it('is refused where no trial could be drawn, naming the part', () => {
    const space = defaultSpace(config);
    expect(validateSpace(space)).toBe(space);
    expect(() => validateSpace({ ...space, learningRate: [1e-3, 1e-4] })).toThrow(
      "Search space: the learning rate's range must be > 0 and < 1, its start at most its end (got 0.001 to 0.0001).",
    );
    expect(() => validateSpace({ ...space, batchSize: [] })).toThrow(
      'Search space: batch sizes needs at least one value.',
    );
    expect(() => validateSpace({ ...space, warmupRatio: [0, 1.5] })).toThrow(
      'Search space: warmup ratios must each be ≥ 0 and < 1 (got 1.5).',
    );
    expect(() => validateSpace({ ...space, batchSize: [16, 2.5] })).toThrow('(got 2.5)');
  });
});
