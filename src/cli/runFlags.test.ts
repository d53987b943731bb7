import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/config';
import { RUN_FLAG_LIST, runFlags, runFlagUsage } from './runFlags';

const base = ['--data', 'd.csv', '--text-column', 'review', '--label-column', 'rating'];

describe('the run flags, declared once', () => {
  it('the usage shows every flag the parser takes, each once', () => {
    const { required, optional } = runFlagUsage('  ');
    const shown = `${required} ${optional}`.match(/--[a-z-]+/g)!;
    expect([...shown].sort()).toEqual(RUN_FLAG_LIST.map((f) => `--${f.name}`).sort());
  });

  it('no flag gives the defaults; each flag sets its own field', () => {
    expect(runFlags(base).args.config).toEqual(DEFAULT_TRAIN_CONFIG);
    const c = runFlags([
      ...base,
      '--epochs',
      '7',
      '--early-stop-on',
      'loss',
      '--patience',
      '0',
      '--freeze-embeddings',
      '--freeze-layers',
      '2',
      '--no-classical',
      '--max-rows',
      '50',
      '--row-pick',
      'first',
    ]).args.config;
    expect(c).toEqual({
      ...DEFAULT_TRAIN_CONFIG,
      epochs: 7,
      earlyStopping: { metric: 'loss', patience: 0 },
      freeze: { ...DEFAULT_TRAIN_CONFIG.freeze, embeddings: true, bottomLayers: 2 },
      classicalBaseline: false,
      rowLimit: { rows: 50, pick: 'first' },
    });
    expect(runFlags([...base, '--lora', 'r=4']).args.config.lora).toMatchObject({ r: 4, alpha: 16 });
  });

  it('refuses a flag it does not know, and a bad value naming the flag', () => {
    expect(() => runFlags([...base, '--epoch', '3'])).toThrow(/Unknown option '--epoch'/);
    expect(() => runFlags([...base, '--task', 'ranking'])).toThrow(
      '--task must be one of regression, classification, binary, multi-label, got "ranking".',
    );
  });
});
