import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../checkpoint/safetensors';
import type { Example } from '../data/dataset';
import { DEFAULT_TRAIN_CONFIG } from './config';
import { dataFingerprint, decodeRunState, encodeRunState, type RunState } from './runState';

const roles = { text: 'review', pair: 'title', label: 'rating' };
const rows: Example[] = [
  { line: 2, text: 'soft and warm', pair: 'Nice', rating: 5 },
  { line: 3, text: 'tore in a week', pair: null, rating: 1 },
];

describe('dataFingerprint', () => {
  it('is the same for the same rows and roles, and changes with a rating, a text, the order, a role or the split', () => {
    const base = dataFingerprint(roles, [rows, []]);
    expect(dataFingerprint(roles, [rows.map((e) => ({ ...e })), []])).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    const changed = [
      dataFingerprint(roles, [[rows[0]!, { ...rows[1]!, rating: 2 }], []]),
      dataFingerprint(roles, [[rows[0]!, { ...rows[1]!, text: 'tore in a week!' }], []]),
      dataFingerprint(roles, [[rows[1]!, rows[0]!], []]),
      dataFingerprint({ ...roles, pair: null }, [rows, []]),
      dataFingerprint(roles, [[rows[0]!], [rows[1]!]]),
      dataFingerprint(roles, [[rows[0]!, { ...rows[1]!, pair: '' }], []]),
    ];
    for (const c of changed) expect(c).not.toBe(base);
  });
});

describe('run state file', () => {
  const state: RunState = {
    config: DEFAULT_TRAIN_CONFIG,
    roles,
    fingerprint: 'abc',
    dataFile: 'reviews.csv',
    baseModel: 'scratch',
    totalSteps: 10,
    classical: { fitted: false, reason: 'off' },
    createdAt: 'then',
    savedAt: 'now',
    caller: { data: 'reviews.csv' },
    train: {
      step: 4,
      adamStep: 4,
      stopper: { bestScore: null, bestStep: null, sinceBest: 1 },
      baseline: { validation: { n: 1 } as never, test: null },
      history: [],
      progress: [
        {
          step: 1,
          totalSteps: 10,
          epoch: 0.5,
          loss: 0.9,
          learningRate: 1e-4,
          examplesPerSecond: 30,
          etaSeconds: 3,
        },
      ],
      weights: new Map([['w', { shape: [2], data: new Float32Array([1, 2]) }]]),
      m: new Map([['w', { shape: [2], data: new Float32Array([3, 4]) }]]),
      v: new Map([['w', { shape: [2], data: new Float32Array([5, 6]) }]]),
      best: null,
    },
  };

  it('round-trips, −∞ and an absent best snapshot included', () => {
    const back = decodeRunState(encodeRunState(state), 'state.safetensors');
    expect(back).toEqual(state);
    const withBest = { ...state, train: { ...state.train, best: state.train.weights } };
    expect(decodeRunState(encodeRunState(withBest), 's').train.best).toEqual(state.train.weights);
  });

  it('reads a state saved before loss points were kept as one without them', () => {
    const { progress: _, ...older } = state.train;
    const back = decodeRunState(encodeRunState({ ...state, train: older as typeof state.train }), 's');
    expect(back.train.progress).toEqual([]);
  });

  it('refuses a model file or an unknown tensor, naming the file', () => {
    const model = writeSafetensors([{ name: 'w', shape: [1], data: new Float32Array(1) }], { format: 'pt' });
    expect(() => decodeRunState(model, 'model.safetensors')).toThrow(
      /model.safetensors is not a TabTune run state \(its format is "pt"\)/,
    );
    const odd = writeSafetensors([{ name: 'x/w', shape: [1], data: new Float32Array(1) }], {
      format: 'tabtune-run-state/1',
      state: JSON.stringify({ ...state, train: { ...state.train, hasBest: false } }),
    });
    expect(() => decodeRunState(odd, 'state.safetensors')).toThrow(
      /state.safetensors holds an unknown tensor "x\/w"/,
    );
  });
});
