import type { ClassicalOutcome } from '../baseline/classical';
import type { HostTensor } from '../checkpoint/rawTensor';
import { readSafetensors, safetensorsMetadata, writeSafetensors } from '../checkpoint/safetensors';
import { toFloat32 } from '../checkpoint/rawTensor';
import type { ColumnRoles, Example } from '../data/dataset';
import { TabTuneError } from '../errors';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './config';
import type { EvalMetrics } from './evaluate';
import type { EvalPoint } from './evaluate';
import type { ProgressPoint } from './progress';

/*
 * A run's saved state: what the trainer needs to go on after a reload or a crash exactly as if it had never
 * stopped. Dropout masks and the batch order are pure functions of the seed and the step (DropoutPass.forStep,
 * epochOrders), so the state holds no random generator: the step number is its position.
 */

/** Early stopping's bookkeeping (EarlyStopper), as plain numbers. */
export interface StopperState {
  /** null before the first trained evaluation. */
  bestScore: number | null;
  bestStep: number | null;
  sinceBest: number;
}

/** Where the trainer stands after `step` optimizer steps. */
export interface TrainState {
  step: number;
  /** AdamW's own step count (its bias corrections). */
  adamStep: number;
  stopper: StopperState;
  baseline: { validation: EvalMetrics; test: EvalMetrics | null };
  /** Every evaluation so far, the baseline's included. */
  history: EvalPoint[];
  /** Every step's loss point so far (the loss chart of a resumed run starts at step 1, not where it was saved). */
  progress: ProgressPoint[];
  /** Every parameter, trained or frozen. */
  weights: Map<string, HostTensor>;
  /** AdamW's two moments of each parameter that trains. */
  m: Map<string, HostTensor>;
  v: Map<string, HostTensor>;
  /** Early stopping's best weights when they are not the current ones; null otherwise. */
  best: Map<string, HostTensor> | null;
}

/** A run's saved state with what it was run on: the settings, the data's fingerprint, the base model. */
export interface RunState {
  /** The run's settings as it ran them (the max length already capped to the model). */
  config: TrainConfig;
  roles: ColumnRoles;
  fingerprint: string;
  /** The data file's name, to ask for it again. */
  dataFile: string;
  baseModel: string;
  totalSteps: number;
  classical: ClassicalOutcome;
  createdAt: string;
  savedAt: string;
  /** What the caller needs to start the run again (the CLI's arguments); kept as given. */
  caller: Record<string, unknown>;
  train: TrainState;
}

const FORMAT = 'tabtune-run-state/1';
const GROUPS = ['weights', 'm', 'v', 'best'] as const;

/** What a saved state is about, without its tensors: what the studio shows before the user resumes it. */
export type RunStateInfo = Omit<RunState, 'train'> & { step: number };

type StoredMetadata = Omit<RunState, 'train'> & {
  train: Omit<TrainState, 'weights' | 'm' | 'v' | 'best'> & { hasBest: boolean };
};

/** The state's JSON part; anything but a run state is refused with what it is. */
function stateMetadata(bytes: Uint8Array, file: string): StoredMetadata {
  const meta = safetensorsMetadata(bytes, file);
  if (meta.format !== FORMAT) {
    throw new TabTuneError(
      'checkpoint',
      `${file} is not a TabTune run state (its format is ${meta.format ? `"${meta.format}"` : 'not given'}). Resume from the checkpoint folder a TabTune run wrote.`,
    );
  }
  const stored = JSON.parse(meta.state ?? '{}') as StoredMetadata;
  // Settings added since the state was written take their defaults (a row limit: none, every row was used).
  return { ...stored, config: { ...DEFAULT_TRAIN_CONFIG, ...stored.config } };
}

/**
 * `decodeRunState`'s checks without widening any tensor: the format, and that every tensor lies whole inside the
 * file (a copy cut short by a crash fails here too). Cheap next to a decode, which copies every value.
 */
export function runStateInfo(bytes: Uint8Array, file: string): RunStateInfo {
  const { train, ...rest } = stateMetadata(bytes, file);
  readSafetensors(bytes, file); // offsets and lengths only: the tensors stay views of `bytes`
  return { ...rest, step: train.step };
}

/** One safetensors file: the tensors as `weights/…`, `m/…`, `v/…`, `best/…`, the rest as JSON metadata. */
export function encodeRunState(state: RunState): Uint8Array {
  const { weights, m, v, best, ...train } = state.train;
  const tensors = { weights, m, v, best: best ?? new Map<string, HostTensor>() };
  const list = GROUPS.flatMap((g) =>
    [...tensors[g]].map(([name, t]) => ({ name: `${g}/${name}`, shape: t.shape, data: t.data })),
  );
  const rest = { ...state, train: { ...train, hasBest: best !== null } };
  // JSON has no ±∞ or NaN: written as null.
  const json = JSON.stringify(rest, (_, x: unknown) =>
    typeof x === 'number' && !Number.isFinite(x) ? null : x,
  );
  return writeSafetensors(list, { format: FORMAT, state: json });
}

/** Reads `encodeRunState`'s file; anything else is refused with what it is. */
export function decodeRunState(bytes: Uint8Array, file: string): RunState {
  const rest = stateMetadata(bytes, file);
  const groups = new Map<string, Map<string, HostTensor>>(GROUPS.map((g) => [g, new Map()]));
  for (const [key, raw] of readSafetensors(bytes, file)) {
    const cut = key.indexOf('/');
    const group = groups.get(key.slice(0, cut));
    if (!group) throw new TabTuneError('checkpoint', `${file} holds an unknown tensor "${key}".`);
    group.set(key.slice(cut + 1), { shape: raw.shape, data: toFloat32(raw, key, file) });
  }
  const { hasBest, ...train } = rest.train;
  return {
    ...rest,
    train: {
      ...train,
      progress: train.progress ?? [], // states saved before the loss points were kept
      weights: groups.get('weights')!,
      m: groups.get('m')!,
      v: groups.get('v')!,
      best: hasBest ? groups.get('best')! : null,
    },
  };
}

/**
 * The data's fingerprint: a hash of the column roles and every parsed example (text, second text, rating,
 * group) of each split, in order. The same file with the same roles gives the same fingerprint; a changed row,
 * a reordered file or another column does not. Two 32-bit FNV-1a hashes over the UTF-16 code units.
 */
export function dataFingerprint(roles: ColumnRoles, splits: ReadonlyArray<readonly Example[]>): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const add = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    a = Math.imul(a ^ 0xff, 0x01000193); // a separator no UTF-16 text ends with
    b = Math.imul(b ^ 0xff, 0x01000193) ^ (b >>> 15);
  };
  add(JSON.stringify([roles.text, roles.pair, roles.label, roles.group ?? null]));
  for (const split of splits) {
    add(`split ${split.length}`);
    for (const e of split) {
      add(e.text);
      add(e.pair ?? '\u0000');
      add(String(e.rating));
      add(e.group ?? '\u0000');
    }
  }
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return `${hex(a)}${hex(b)}`;
}
