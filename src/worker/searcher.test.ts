import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../core/train/config';
import { GpuFailure } from './gpuHealth';
import type { Models } from './models';
import type { Runner } from './runner';
import { memoryRunStore } from './runStore';
import { Searcher } from './searcher';
import type { TableReader } from './tableReader';

describe('a settings search whose GPU fails', () => {
  const roles = { text: 'review', pair: null, label: 'rating' };
  const params = {
    config: DEFAULT_TRAIN_CONFIG,
    roles,
    base: 'scratch' as const,
    search: { budgetMinutes: 1, maxTrials: 3, space: null },
  };
  const searcher = (failure: GpuFailure | null) =>
    new Searcher({
      runner: { hold: () => Promise.reject(new Error('mapAsync: buffer destroyed')) } as unknown as Runner,
      store: memoryRunStore(),
      tables: {} as TableReader,
      models: {} as Models,
      backend: () => 'webgpu',
      health: { explain: async () => failure, failure: () => failure },
    });

  it('is told as the device’s failure, with what to do — not as a TabTune bug', async () => {
    await expect(
      searcher(new GpuFailure('webgpu', 'device destroyed')).search(
        params,
        () => {},
        new AbortController().signal,
      ),
    ).rejects.toThrow(
      'The GPU device was lost (device destroyed). The settings search stopped; its state is saved in this browser: choose another backend above, then go on with the search.',
    );
  });

  it('any other error goes on as it is', async () => {
    await expect(searcher(null).search(params, () => {}, new AbortController().signal)).rejects.toThrow(
      /^mapAsync: buffer destroyed$/,
    );
  });

  it('refuses a budget or a number of trials no search can run, saying both', async () => {
    await expect(
      searcher(null).search(
        { ...params, search: { ...params.search, budgetMinutes: 0 } },
        () => {},
        new AbortController().signal,
      ),
    ).rejects.toThrow(
      'A settings search needs a time above 0 minutes and at least 1 trial (got 0 minutes, 3 trials).',
    );
  });
});
