import { memoryRunHistory, opfsRunHistory, type RunHistory } from './runHistory';
import { memoryRunStore, opfsRunStore, type RunStore } from './runStore';

/**
 * Where a Worker keeps a run's state, a settings search's, and the finished runs: OPFS, so they outlive a reload; without it (an old
 * browser) memory, and a reload loses the run, as before.
 */
export function browserStorage(): { store: RunStore; history: RunHistory; searchStore: RunStore } {
  const opfs = typeof navigator.storage?.getDirectory === 'function';
  return opfs
    ? { store: opfsRunStore(), history: opfsRunHistory(), searchStore: opfsRunStore('tabtune-search') }
    : { store: memoryRunStore(), history: memoryRunHistory(), searchStore: memoryRunStore() };
}
