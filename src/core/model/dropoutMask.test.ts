import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { dropoutMask } from './dropout';
import { fillDropoutMask, hash32 } from './dropoutMask';

const mask = (n: number, rate: number, seed: number) => {
  const m = new Float32Array(n);
  fillDropoutMask(m, rate, seed);
  return m;
};

describe('dropout masks', () => {
  it('keep 1 − rate of the entries (within 4σ over 10⁶) at 1/(1 − rate), drop the rest to 0', () => {
    for (const rate of [0.1, 0.5]) {
      const m = mask(1_000_000, rate, 42);
      const kept = m.filter((v) => v !== 0);
      const sigma = Math.sqrt(1e6 * rate * (1 - rate));
      expect(Math.abs(kept.length - 1e6 * (1 - rate))).toBeLessThan(4 * sigma);
      expect(new Set(kept)).toEqual(new Set([Math.fround(1 / (1 - rate))]));
    }
  });

  it('are a function of the seed: the same seed repeats, neighbouring seeds are independent', () => {
    const n = 200_000;
    const a = mask(n, 0.5, 7);
    expect(mask(n, 0.5, 7)).toEqual(a);
    for (const other of [8, 7 + 2 ** 32, 7 + 1_000_003]) {
      const b = mask(n, 0.5, other);
      const agree = a.filter((v, i) => v === b[i]).length / n; // independent: ½ ± 4·0.0011
      expect(Math.abs(agree - 0.5)).toBeLessThan(0.0045);
    }
  });

  it('neighbouring entries are independent (no stripes along the last axis)', () => {
    const m = mask(200_000, 0.5, 3);
    let same = 0;
    for (let i = 1; i < m.length; i++) if (m[i] === m[i - 1]) same++;
    expect(Math.abs(same / (m.length - 1) - 0.5)).toBeLessThan(0.0045);
  });

  it('hash32 is a bijection on a sample (no two of 2¹⁸ inputs collide)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1 << 18; i++) seen.add(hash32(i * 2654435761));
    expect(seen.size).toBe(1 << 18);
  });

  it.each(['cpu', 'wasm'])('the %s backend gets the same mask as the pure function', async (backend) => {
    await tf.setBackend(backend);
    const t = dropoutMask([3, 50, 7], 0.1, 1234);
    expect(t.shape).toEqual([3, 50, 7]);
    expect(t.dataSync()).toEqual(mask(1050, 0.1, 1234));
    t.dispose();
  });
});
