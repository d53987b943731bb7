import { EncodedRows } from '../tokenizer/encodedRows';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../data/csv';
import { buildDataset, type Example } from '../data/dataset';
import { makeLabelSpec, type Task } from '../data/labels';
import { sampleCsv } from '../data/sample';
import { stratifiedSplit } from '../data/split';
import { SequenceClassifier } from '../model/classifier';
import { learnVocab, scratchConfig } from '../model/scratch';
import { BertTokenizer } from '../tokenizer/bertTokenizer';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './config';
import { modelCard } from './modelCard';
import { decodeRunState, encodeRunState, type RunState, type TrainState } from './runState';
import { modelOutputs } from './evaluate';
import { trainableNames } from './optimizerFor';
import { PauseGate } from './control';
import { train } from './trainer';

// At module level: some describe blocks build their model while tests are collected, before any beforeAll. On WASM,
// as the CLI and the studio train (the CPU backend ran this file ten times slower).
await tf.setBackend('wasm');
tf.env().set('PROD', true);

function setup(task: Task, n = 400) {
  const ds = buildDataset(
    parseCsv(sampleCsv(n, 11), 'sample.csv'),
    { text: 'review', pair: null, label: 'rating' },
    'sample.csv',
  );
  const vocab = learnVocab(
    ds.examples.map((e) => e.text),
    2000,
  );
  const tokenizer = BertTokenizer.fromVocab(vocab.join('\n') + '\n');
  const config = scratchConfig(vocab.length, {
    hidden_size: 32,
    num_attention_heads: 2,
    intermediate_size: 64,
    max_position_embeddings: 64,
  });
  const spec = makeLabelSpec(
    task,
    ds.examples.map((e) => e.rating),
  );
  const split = stratifiedSplit(
    ds.examples.map((e) => e.rating),
    { validation: 0.15, test: 0.15 },
    1,
  );
  const pick = (idx: number[]) => idx.map((i) => ds.examples[i] as Example);
  const model = new SequenceClassifier(config, new Map(), task === 'classification' ? 5 : 1, 3);
  return {
    tokenizer,
    spec,
    model,
    train: pick(split.train),
    validation: pick(split.validation),
    test: pick(split.test),
  };
}

const quick: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  maxLength: 48,
  batchSize: 8,
  epochs: 3,
  learningRate: 2e-3,
  evalsPerEpoch: 2,
};

describe('train (tiny model from scratch on synthetic reviews, CPU backend)', () => {
  it('learns: validation AUC rises well above the baseline, with memory flat over hundreds of steps', async () => {
    const s = setup('regression');
    const counts: number[] = [];
    const events = { progress: () => counts.push(tf.memory().numTensors) };
    const result = await train({
      ...s,
      config: { ...quick, earlyStopping: { metric: 'auc', patience: 0 } },
      events,
    });
    expect(result.reason).toBe('completed');
    expect(result.steps).toBeGreaterThanOrEqual(100);
    expect(result.baseline.validation.auc).not.toBeNull();
    expect(result.final.validation.auc!).toBeGreaterThan(0.8);
    expect(result.final.validation.auc! - result.baseline.validation.auc!).toBeGreaterThan(0.2);
    expect(result.final.test!.rmse!).toBeLessThan(result.baseline.test!.rmse!);
    // Tensor count is the same after step 10 as after the last step: nothing leaks per step.
    const tail = counts.slice(10);
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThanOrEqual(4);
    s.model.dispose();
  }, 300_000); // a few hundred steps on the CPU backend: about a minute alone, more on a busy machine

  it('classification and binary tasks train too', async () => {
    for (const task of ['classification', 'binary'] as const) {
      const s = setup(task, 400);
      const r = await train({
        ...s,
        config: { ...quick, epochs: 3, earlyStopping: { metric: 'auc', patience: 0 } },
      });
      expect(r.final.validation.auc!).toBeGreaterThan(0.7);
      expect(r.final.validation.auc!).toBeGreaterThan(r.baseline.validation.auc! + 0.1);
      expect(r.final.validation.accuracy).not.toBeNull();
      s.model.dispose();
    }
  }, 300_000); // a few hundred steps on the CPU backend: about a minute alone, more on a busy machine

  it('early stopping restores the best weights and says so', async () => {
    const s = setup('regression', 200);
    // A learning rate this high makes validation worse quickly; patience 1 stops at the first setback.
    const r = await train({
      ...s,
      config: {
        ...quick,
        learningRate: 0.5,
        epochs: 4,
        evalsPerEpoch: 4,
        earlyStopping: { metric: 'loss', patience: 1 },
      },
    });
    expect(r.reason).toBe('early-stopping');
    expect(r.message).toMatch(
      /Early stopping at step \d+: validation loss has not improved for 1 evaluations; keeping step \d+/,
    );
    const bestPoint = r.history.find(
      (p) => p.split === 'validation' && p.step === r.bestStep && p.phase !== 'final',
    )!;
    expect(r.final.validation.loss).toBeCloseTo(bestPoint.loss, 5);
    s.model.dispose();
  }, 120_000);

  it('never keeps the untrained model: when no trained evaluation beats it, keeps the best trained one and says so', async () => {
    const s = setup('regression', 200);
    // Validation ratings set from the untrained model's own outputs (5 above their median, 1 below): its
    // validation AUC is 1, which no trained evaluation reaches.
    const enc = EncodedRows.encode(s.tokenizer, s.validation, quick.maxLength);
    const outputs = (await modelOutputs(s.model, enc, s.tokenizer.padId, 16)).map((o) => o[0]!);
    const median = [...outputs].sort((a, b) => a - b)[outputs.length >> 1]!;
    const validation = s.validation.map((e, i) => ({ ...e, rating: outputs[i]! >= median ? 5 : 1 }));
    const r = await train({
      ...s,
      validation,
      config: { ...quick, epochs: 2, evalsPerEpoch: 4, earlyStopping: { metric: 'auc', patience: 3 } },
    });
    const trained = r.history.filter((p) => p.split === 'validation' && p.phase === 'training');
    const untrained = r.baseline.validation.auc!;
    expect(Math.max(...trained.map((p) => p.auc!))).toBeLessThan(untrained);
    expect(r.bestStep).toBeGreaterThan(0);
    const best = trained.find((p) => p.step === r.bestStep)!;
    expect(best.auc).toBe(Math.max(...trained.map((p) => p.auc!)));
    expect(r.final.validation.auc).toBeCloseTo(best.auc!, 6); // the weights kept are that step's
    const note = r.notes.find((n) => n.startsWith('The fine-tuned model never beat the untrained one'))!;
    expect(note).toContain(
      `${best.auc!.toFixed(3)} at best (step ${r.bestStep}) against ${untrained.toFixed(3)}`,
    );
    expect(note).toContain(
      `The weights kept are the best trained ones (step ${r.bestStep}), not the untrained model.`,
    );
    s.model.dispose();
  }, 120_000);

  it('stops on an infinite loss with a clear message and keeps finite weights', async () => {
    const s = setup('regression', 120);
    const poisoned = s.train.map((e, i) => (i === 5 ? { ...e, rating: Infinity } : e));
    const r = await train({ ...s, train: poisoned, config: { ...quick, epochs: 1 } });
    expect(r.reason).toBe('nan');
    expect(r.message).toMatch(
      /The loss became NaN or infinite at step \d+; training stopped and the weights from before that step are kept/,
    );
    for (const [, v] of s.model.namedParameters()) expect(tf.all(tf.isFinite(v)).dataSync()[0]).toBe(1);
    s.model.dispose();
  }, 120_000);

  it('pauses at its gate, resumes when it opens, and stops at the step its signal aborts', async () => {
    const s = setup('regression', 160);
    const gate = new PauseGate();
    const stop = new AbortController();
    let steps = 0;
    let evaluated = false;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    gate.close();
    const run = train({
      ...s,
      config: quick,
      control: { signal: stop.signal, gate },
      events: {
        evaluation: () => (evaluated = true),
        progress: (p) => ((steps = p.step), p.step >= 5 && stop.abort()),
      },
    });
    // The baseline evaluation runs first; wait until the trainer is past it, at its first step boundary…
    while (!evaluated) await sleep(5);
    // …then give it time for several steps (each takes a few ms here): a gate that did not hold would show.
    await sleep(400);
    expect(steps).toBe(0);
    gate.open();
    const r = await run;
    expect(r.reason).toBe('stopped');
    expect(r.steps).toBeGreaterThanOrEqual(5);
    expect(r.steps).toBeLessThanOrEqual(8);
    s.model.dispose();
  }, 120_000);
});

describe("a run's dropout setting", () => {
  const weightsAfter = async (dropout: number | null) => {
    const s = setup('regression', 40);
    const base = scratchConfig(s.tokenizer.vocabSize, {
      hidden_size: 32,
      num_attention_heads: 2,
      intermediate_size: 64,
      max_position_embeddings: 64,
    });
    const model = new SequenceClassifier(base, new Map(), 1, 5);
    await train({
      ...s,
      model,
      config: { ...quick, epochs: 1, dropout, earlyStopping: { metric: 'auc', patience: 0 } },
    });
    const w = Array.from(model.head.get('classifier.weight')!.dataSync());
    // The run's dropout is an option of the run: neither the model's config nor the checkpoint's changes.
    expect(model.bert.config.hidden_dropout_prob).toBe(0.1);
    expect(base.hidden_dropout_prob).toBe(0.1);
    model.dispose();
    s.model.dispose();
    return w;
  };
  it('changes training, reproducibly, and leaves every config untouched', async () => {
    const [a, b, none, checkpoints] = [
      await weightsAfter(0.3),
      await weightsAfter(0.3),
      await weightsAfter(0),
      await weightsAfter(null),
    ];
    expect(a).toEqual(b); // same seed, same masks: nothing carries over from one run to the next
    expect(none).not.toEqual(a);
    expect(checkpoints).not.toEqual(none); // null: the checkpoint's own 0.1, not 0
  }, 120_000);
});

describe('trainableNames (freezing)', () => {
  const s = setup('regression', 40);
  const all = s.model.namedParameters().length;
  it('head only', () => {
    expect(trainableNames(s.model, { embeddings: false, bottomLayers: 0, headOnly: true })).toEqual([
      'classifier.weight',
      'classifier.bias',
    ]);
  });
  it('embeddings and the bottom layer', () => {
    const names = trainableNames(s.model, { embeddings: true, bottomLayers: 1, headOnly: false });
    expect(names.some((n) => n.startsWith('bert.embeddings.'))).toBe(false);
    expect(names.some((n) => n.startsWith('bert.encoder.layer.0.'))).toBe(false);
    expect(names.some((n) => n.startsWith('bert.encoder.layer.1.'))).toBe(true);
    expect(names.length).toBe(all - 5 - 16);
  });
  it('nothing frozen: every tensor trains', () => {
    expect(trainableNames(s.model, quick.freeze)).toHaveLength(all);
  });
});

describe('when validation AUC is undefined', () => {
  it('early stopping uses the loss, and the result, the log and the model card say so', async () => {
    const s = setup('regression', 120);
    // A threshold above every rating: no validation example is positive, so AUC is undefined throughout.
    const spec = { ...s.spec, threshold: 6 };
    const logs: string[] = [];
    const config = { ...quick, epochs: 1, earlyStopping: { metric: 'auc' as const, patience: 2 } };
    const r = await train({ ...s, spec, config, events: { log: (m) => logs.push(m) } });
    expect(r.baseline.validation.auc).toBeNull();
    expect(r.selectionMetric).toBe('loss');
    expect(r.notes).toEqual([
      expect.stringMatching(/Validation AUC is undefined .* use the validation loss/),
    ]);
    expect(logs).toContain(r.notes[0]);
    const card = modelCard(
      {
        baseModel: 'scratch',
        roles: { text: 'review', pair: null, label: 'rating' },
        trainConfig: config,
        spec,
        data: { file: 'f.csv', usableRows: 120, badRows: 0, train: 84, validation: 18, test: 18 },
        result: r,
        backend: 'cpu',
        createdAt: '2026-11-29T00:00:00Z',
      },
      1,
    );
    expect(card).toMatch(
      /early stopping on validation loss \(auc was asked for, but validation AUC is undefined\)/,
    );
    s.model.dispose();
  }, 120_000);
});

describe('resume from a saved state (CPU backend)', () => {
  // Two epochs of 14 steps, accumulation over two micro-batches, dropout on, early stopping on (the best
  // weights are part of the state), a checkpoint after every step (saveStateEvery 0) and at each evaluation.
  const config: TrainConfig = {
    ...quick,
    maxLength: 24,
    batchSize: 4,
    gradAccumulation: 2,
    epochs: 2,
    evalsPerEpoch: 3,
    learningRate: 0.05, // high enough that the loss rises again before the end
    earlyStopping: { metric: 'loss', patience: 2 },
  };

  async function run(resume: TrainState | null, states: Map<number, TrainState>) {
    const s = setup('regression', 160);
    const losses: number[] = [];
    const result = await train({
      ...s,
      config,
      resume,
      saveStateEvery: 0,
      events: {
        // Through the file format, as a reload would read it.
        saveTrainState: (st) => {
          const file = encodeRunState({ ...RUN, train: st });
          states.set(st.step, decodeRunState(file, 'state.safetensors').train);
        },
        progress: (p) => losses.push(p.loss),
      },
    });
    const weights = new Map(s.model.namedParameters().map(([n, t]) => [n, t.dataSync().slice()]));
    s.model.dispose();
    return { result, weights, losses };
  }

  it('ends with the same weights and history as the uninterrupted run, resumed mid-epoch or at an evaluation', async () => {
    const states = new Map<number, TrainState>();
    const whole = await run(null, states);
    // Early stopping ends it at step 12 and restores step 4's weights (the first trained evaluation): resumed at
    // step 7, those come from the state's own copy of the best weights; resumed at step 3, none was taken yet.
    expect([whole.result.reason, whole.result.steps, whole.result.bestStep]).toEqual([
      'early-stopping',
      12,
      4,
    ]);
    expect(states.get(7)!.best).not.toBeNull();
    expect(states.get(3)!.best).toBeNull();
    for (const at of [3, 7]) {
      const saved = states.get(at)!;
      expect(saved.step).toBe(at);
      const later = new Map<number, TrainState>();
      const resumed = await run(saved, later);
      const last = [...later.values()].at(-1)!;
      expect(last.progress.map((p) => p.step)).toEqual(Array.from({ length: last.step }, (_, i) => i + 1));
      expect(resumed.result.steps).toBe(12);
      expect(resumed.result.bestStep).toBe(whole.result.bestStep);
      expect(resumed.result.history.map((e) => [e.step, e.phase])).toEqual(
        whole.result.history.map((e) => [e.step, e.phase]),
      );
      // The loss chart goes on from the state's own points: every step's loss, from step 1.
      expect(saved.progress.map((p) => p.step)).toEqual(Array.from({ length: at }, (_, i) => i + 1));
      expect(saved.progress.map((p) => p.loss)).toEqual(whole.losses.slice(0, at));
      for (const [name, w] of whole.weights) {
        const r = resumed.weights.get(name)!;
        const worst = Array.from(w).reduce((m, x, i) => Math.max(m, Math.abs(x - r[i]!)), 0);
        expect(worst, name).toBeLessThanOrEqual(1e-6);
      }
    }
  }, 300_000);

  it('refuses a state whose tensors do not fit the model, naming the tensor', async () => {
    const states = new Map<number, TrainState>();
    await run(null, states);
    const saved = states.get(3)!;
    const weights = new Map(saved.weights);
    weights.set('classifier.weight', { shape: [2, 32], data: new Float32Array(64) });
    await expect(run({ ...saved, weights }, new Map())).rejects.toThrow(
      /shape \[2, 32\] for the weights of "classifier.weight".*start a new run/,
    );
  }, 300_000);
});

const RUN: Omit<RunState, 'train'> = {
  config: DEFAULT_TRAIN_CONFIG,
  roles: { text: 'review', pair: null, label: 'rating' },
  fingerprint: '0',
  dataFile: 'sample.csv',
  baseModel: 'scratch',
  totalSteps: 28,
  classical: { fitted: false, reason: 'off' },
  createdAt: '',
  savedAt: '',
  caller: {},
};
