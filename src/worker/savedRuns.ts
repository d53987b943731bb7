import {
  decodeRunState,
  encodeRunState,
  runStateInfo,
  type RunState,
  type RunStateInfo,
} from '../core/train/runState';
import type { Emit } from '../shared/protocol';
import type { RunStore } from './runStore';

/** The saved run's header, and its whole state on demand (its tensors widened only when it is resumed). */
export interface SavedRun {
  info: RunStateInfo;
  decode: () => RunState;
}

/**
 * The state of the run under way, saved as it trains so that a reload, a crash or a lost GPU does not lose it: the
 * store (two copies in OPFS), which run wrote it last, and the saving itself.
 */
export class SavedRuns {
  /** When the run that saved last was created, to tell its saved states from an older run's. */
  private owner: string | null = null;

  constructor(private readonly store: RunStore) {}

  /**
   * The saved run that did not end: the newest copy that is whole (a crash may cut the other short), read by its
   * header only.
   */
  async newest(): Promise<SavedRun | null> {
    let newest: SavedRun | null = null;
    for (const bytes of await this.store.load()) {
      try {
        const info = runStateInfo(bytes, 'the saved run');
        if (!newest || info.step > newest.info.step)
          newest = { info, decode: () => decodeRunState(bytes, 'the saved run') };
      } catch {
        // a copy cut short: the other one is the run's state
      }
    }
    return newest;
  }

  /** The newest saved state when the run under way (`startedFrom`'s, or the one that saved since) wrote it. */
  async ours(): Promise<RunState | null> {
    const newest = await this.newest();
    return newest && newest.info.createdAt === this.owner ? newest.decode() : null;
  }

  /** A run starts: from `resumed`'s state (its saved states are its own), or anew. */
  startedFrom(resumed: RunState | null): void {
    this.owner = resumed?.createdAt ?? null;
  }

  /** Nothing is left to resume (the run ended, or its states cannot be trusted); a storage error is ignored. */
  clear(): Promise<void> {
    return this.store.clear().catch(() => undefined);
  }

  /**
   * Writes each state of a run; the first failure is reported once and ends saving for this run. `untrusted`: the
   * GPU failed, so what was read back may be garbage and the last good state stays.
   */
  saver(emit: Emit, untrusted: () => boolean): (state: RunState) => Promise<void> {
    let failed = false;
    return async (state) => {
      if (failed || untrusted()) return;
      try {
        await this.store.save(encodeRunState(state));
        this.owner = state.createdAt;
        emit({ type: 'saved', step: state.train.step, totalSteps: state.totalSteps });
      } catch (e) {
        failed = true;
        const message = `The run's state could not be saved in the browser (${e instanceof Error ? e.message : String(e)}): the disk may be full or storage denied to this page. Training goes on, but a reload or a crash now loses the run; free some disk space to save the next run.`;
        emit({ type: 'saveFailed', message });
        emit({ type: 'log', message });
      }
    };
  }
}
