import { describe, expect, it } from 'vitest';
import { SettingError } from '../errors';
import { DEFAULT_TRAIN_CONFIG, validateTrainConfig } from './config';

describe('a refused setting names its setting', () => {
  it('by the label the studio’s form shows, or as a surface names it (a flag), the label where it has no name', () => {
    let error: unknown;
    try {
      validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, learningRate: -0.001 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingError);
    const e = error as SettingError;
    expect(e.message).toBe('Learning rate must be > 0 and < 1 (got -0.001).');
    expect(e.settings).toEqual(['learningRate']);
    expect(e.named((s) => (s === 'learningRate' ? '--lr' : undefined))).toBe(
      '--lr must be > 0 and < 1 (got -0.001).',
    );
    expect(e.named(() => undefined)).toBe(e.message);
  });

  it('settings refused together are named together', () => {
    expect(() =>
      validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, validationFraction: 0.6, testFraction: 0.5 }),
    ).toThrow('Validation share and Test share must add up to less than 1');
  });
});
