import { describe, expect, it } from 'vitest';
import { locks } from './useTrainer';

describe('locks', () => {
  it('lets another file be chosen while one is read, and nothing be changed while a model loads or a run trains', () => {
    expect(locks({ busy: null, status: 'idle' })).toEqual({ busy: false, choosingLocked: false });
    expect(locks({ busy: 'reading', status: 'idle' })).toEqual({ busy: true, choosingLocked: false });
    expect(locks({ busy: 'loading', status: 'done' })).toEqual({ busy: true, choosingLocked: true });
    expect(locks({ busy: 'starting', status: 'idle' })).toEqual({ busy: true, choosingLocked: true });
    for (const status of ['running', 'paused', 'stopping'] as const)
      expect(locks({ busy: null, status })).toEqual({ busy: true, choosingLocked: true });
  });
});
