import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, clipFactor, DEFAULT_ADAMW } from './adamw';

// On cpu the composite update; on wasm the fused kernel (wasm/wasmKernels.ts). Both against torch.
describe.each(['cpu', 'wasm'])('AdamW on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it('matches a hand-computed first step (decoupled decay, bias correction)', () => {
    // m = 0.1·g, v = 0.001·g², m̂/√v̂ = sign(g) → p·(1 − 0.1·0.01) − 0.1·sign(g)
    const p = tf.variable(tf.tensor1d([1, -2]));
    const opt = new AdamW(new Map([['w', p]]), DEFAULT_ADAMW);
    opt.apply(new Map([['w', tf.tensor1d([0.5, -0.1])]]), 0.1, tf.scalar(1), tf.scalar(true, 'bool'));
    const [a, b] = p.dataSync();
    expect(a).toBeCloseTo(0.999 - 0.1, 6);
    expect(b).toBeCloseTo(-1.998 + 0.1, 6);
  });

  it('equals torch.optim.AdamW over three steps, with a no-decay bias', () => {
    // Expected values printed by torch 1.13 (lr 0.1, betas 0.9/0.999, eps 1e-8, wd 0.01 on "w" only).
    const w = tf.variable(tf.tensor1d([1.0, -2.0, 0.3]));
    const b = tf.variable(tf.tensor1d([0.5]));
    const opt = new AdamW(
      new Map([
        ['w', w],
        ['layer.bias', b],
      ]),
    );
    const grads: Array<[number[], number[]]> = [
      [[0.5, -0.1, 0.0], [1.0]],
      [[0.2, 0.3, -0.4], [-2.0]],
      [[-1.0, 0.05, 0.4], [0.5]],
    ];
    const expected = [
      [[0.899, -1.898, 0.2997], [0.4]],
      [[0.8082435, -1.945521, 0.373814], [0.4366104]],
      [[0.8307816, -1.9912893, 0.368922], [0.4502794]],
    ];
    grads.forEach(([gw, gb], i) => {
      opt.apply(
        new Map([
          ['w', tf.tensor1d(gw)],
          ['layer.bias', tf.tensor1d(gb)],
        ]),
        0.1,
        tf.scalar(1),
        tf.scalar(true, 'bool'),
      );
      Array.from(w.dataSync()).forEach((x, j) => expect(x).toBeCloseTo(expected[i]![0]![j]!, 5));
      expect(b.dataSync()[0]).toBeCloseTo(expected[i]![1]![0]!, 5);
    });
  });

  it('leaves no tensor behind once disposed (its moments were twice the model, per run)', () => {
    const p = tf.variable(tf.tensor1d([1, 2, 3]));
    const before = tf.memory().numTensors;
    const opt = new AdamW(new Map([['w', p]]));
    const inputs = [tf.tensor1d([0.1, 0.2, 0.3]), tf.scalar(1), tf.scalar(true, 'bool')] as const;
    opt.apply(new Map([['w', inputs[0]]]), 0.1, inputs[1], inputs[2]);
    opt.dispose();
    tf.dispose([...inputs]);
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });

  it('leaves parameters and moments untouched when the step is not ok (NaN gradients)', () => {
    const p = tf.variable(tf.tensor1d([1, 2]));
    const opt = new AdamW(new Map([['w', p]]));
    opt.apply(new Map([['w', tf.tensor1d([NaN, Infinity])]]), 0.1, tf.scalar(1), tf.scalar(false, 'bool'));
    expect(Array.from(p.dataSync())).toEqual([1, 2]);
    opt.apply(new Map([['w', tf.tensor1d([0.5, 0.5])]]), 0.1, tf.scalar(1), tf.scalar(true, 'bool'));
    expect(Number.isFinite(p.dataSync()[0])).toBe(true);
  });
});

describe('AdamW: the fused WASM update against the composite on cpu', () => {
  it('four steps on [300] with clipping scale 0.7, decay and a skipped non-finite step agree within 1e-6', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const p = tf.variable(tf.randomNormal([300], 0, 1, 'float32', 5));
      const opt = new AdamW(new Map([['w', p]]));
      for (let k = 0; k < 4; k++) {
        const g = tf.randomNormal([300], 0, 1, 'float32', 10 + k);
        opt.apply(new Map([['w', g]]), 0.01, tf.scalar(0.7), tf.scalar(k !== 2, 'bool'));
        g.dispose();
      }
      const values = [...(await p.data())];
      opt.dispose();
      p.dispose();
      return values;
    };
    const composite = await run('cpu');
    const fused = await run('wasm');
    const worst = Math.max(...fused.map((x, i) => Math.abs(x - (composite[i] as number))));
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('clipFactor (torch clip_grad_norm_)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('scales to the max norm when above it, 1 when below', () => {
    const [f, n] = clipFactor([tf.tensor1d([3, 0]), tf.tensor1d([4])], 1);
    expect(n.dataSync()[0]).toBeCloseTo(5, 6);
    expect(f.dataSync()[0]).toBeCloseTo(1 / (5 + 1e-6), 6);
    // The mean of 2 micro-batches' summed gradients [6, 0], [8]: norm 5, as if each were divided by 2.
    const [f3, n3] = clipFactor([tf.tensor1d([6, 0]), tf.tensor1d([8])], 1, 2);
    expect(n3.dataSync()[0]).toBeCloseTo(5, 6);
    expect(f3.dataSync()[0]).toBeCloseTo(1 / (5 + 1e-6), 6);
    const [f2] = clipFactor([tf.tensor1d([0.3, 0.4])], 1);
    expect(f2.dataSync()[0]).toBe(1);
  });
});
