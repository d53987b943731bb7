import { unzipSync, zipSync } from 'fflate';
import type { ColumnRoles } from '../data/dataset';
import { TabTuneError } from '../errors';
import type { TrainConfig } from '../train/config';
import { decodeRunState, encodeRunState, type RunState, type TrainState } from '../train/runState';
import type { HalvingState } from './halving';
import type { SearchOptions, TrialOrigin, TrialRecord } from './trial';
import type { TrialSettings } from './space';

/*
 * A search's saved state, so that a reload, a crash or an interrupted command goes on where it was: the trials and
 * their scores, the halving, the time spent, and the state of each trial that may still train (its weights and
 * AdamW's moments, as a run's saved state). One file — a zip of search.json and one run state per held trial — so
 * that it is written whole or not at all.
 */

const FORMAT = 'tabtune-search/1';

export interface SearchProgress {
  options: SearchOptions;
  /** The run's settings the trials vary (as prepared: the max length capped to the model), and its columns. */
  config: TrainConfig;
  roles: ColumnRoles;
  candidates: TrialSettings[];
  origins: TrialOrigin[];
  trials: TrialRecord[];
  halving: HalvingState;
  /** Seconds per trained example, measured on the first segment; null before it. */
  perExample: number | null;
  /** Seconds the search has run, over all its sessions. */
  elapsedSeconds: number;
  /** The data's fingerprint and the base model: a search goes on only with its own. */
  fingerprint: string;
  baseModel: string;
  dataFile: string;
  ending: string;
  /** What the caller needs to start the search again (the CLI's arguments); kept as given. */
  caller: Record<string, unknown>;
}

export interface SavedSearch {
  progress: SearchProgress;
  /** Per held trial, its state with the settings it trains with. */
  states: Map<number, RunState>;
}

const json = (v: unknown) =>
  new TextEncoder().encode(
    JSON.stringify(v, (_, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)),
  );

export function encodeSearch(saved: SavedSearch): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'search.json': json({ format: FORMAT, ...saved.progress }),
  };
  for (const [trial, state] of saved.states) files[`trial-${trial}.safetensors`] = encodeRunState(state);
  return zipSync(files, { level: 0 });
}

/** Reads `encodeSearch`'s file; anything else is refused with what it is. */
export function decodeSearch(bytes: Uint8Array, file: string): SavedSearch {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw new TabTuneError('checkpoint', `${file} is not a saved settings search (it is not a zip).`);
  }
  const head = files['search.json'];
  const parsed = head ? (JSON.parse(new TextDecoder().decode(head)) as { format?: string }) : null;
  if (!parsed || parsed.format !== FORMAT)
    throw new TabTuneError(
      'checkpoint',
      `${file} is not a saved settings search (no search.json of format ${FORMAT}). Start the search again.`,
    );
  const { format: _format, ...progress } = parsed as SearchProgress & { format: string };
  const states = new Map<number, RunState>();
  for (const [name, b] of Object.entries(files)) {
    const m = /^trial-(\d+)\.safetensors$/.exec(name);
    if (m) states.set(Number(m[1]), decodeRunState(b, `${file} (${name})`));
  }
  return { progress, states };
}

/** The trial states as the search holds them (TrainState), from the saved run states. */
export function heldStates(saved: SavedSearch): Map<number, TrainState> {
  return new Map([...saved.states].map(([t, s]) => [t, s.train]));
}
