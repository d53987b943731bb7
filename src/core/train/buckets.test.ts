import { describe, expect, it } from 'vitest';
import { seededRandom, shuffleInPlace } from '../data/split';
import { lengthGroupedOrder, lengthSortedBatches, paddedShare } from './buckets';

describe('lengthGroupedOrder (HF group_by_length, batches shuffled)', () => {
  const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
  it('by hand: megabatches of 2 batches of 2, each sorted longest first, stable; a short last batch stays last', () => {
    const lengths = [5, 9, 2, 9, 7, 1, 3];
    const never = () => 0.99; // Fisher–Yates with draws near 1 keeps the order
    expect(lengthGroupedOrder([0, 1, 2, 3, 4, 5, 6], lengths, 2, never, 2)).toEqual([1, 3, 0, 2, 4, 6, 5]);
  });
  it('keeps the batches of sorted megabatches, the longest first, the others in a seeded random order', () => {
    const random = seededRandom(7);
    const lengths = Array.from({ length: 2000 }, () => 8 + Math.floor(120 * random() ** 2));
    const order = shuffleInPlace([...lengths.keys()], random);
    const grouped = lengthGroupedOrder(order, lengths, 32, seededRandom(1));
    expect(sorted(grouped)).toEqual([...lengths.keys()]);
    expect(new Set(grouped.slice(0, 1600))).toEqual(new Set(order.slice(0, 1600))); // same megabatch members
    expect(paddedShare(order, lengths, 32)).toBeGreaterThan(0.5);
    expect(paddedShare(grouped, lengths, 32)).toBeLessThan(0.05);
    const longest = Math.max(...order.slice(0, 1600).map((i) => lengths[i]!));
    expect(lengths[grouped[0]!]).toBe(longest);
    // Not longest to shortest across the epoch: the batches' maximum lengths are not in decreasing order.
    const maxima = Array.from({ length: 50 }, (_, b) =>
      Math.max(...grouped.slice(b * 32, b * 32 + 32).map((i) => lengths[i]!)),
    );
    const falls = maxima.slice(1).filter((m, b) => m < maxima[b]!).length;
    expect(falls).toBeGreaterThan(10);
    expect(falls).toBeLessThan(40);
    // The same seed, the same order; another seed, another.
    expect(lengthGroupedOrder(order, lengths, 32, seededRandom(1))).toEqual(grouped);
    expect(lengthGroupedOrder(order, lengths, 32, seededRandom(2))).not.toEqual(grouped);
  });
});

describe('paddedShare', () => {
  it('by hand: batches [4, 2] and [3] → 8 + 3 slots, 9 tokens', () => {
    expect(paddedShare([0, 1, 2], [4, 2, 3], 2)).toBeCloseTo(1 - 9 / 11, 12);
    expect(paddedShare([], [], 2)).toBe(0);
  });
});

describe('lengthSortedBatches', () => {
  it('cuts indices sorted longest first (ties in index order) into batches, each index once', () => {
    const lengths = [5, 9, 2, 9, 7, 1, 5];
    const batches = lengthSortedBatches(lengths, 3);
    expect(batches).toEqual([[1, 3, 4], [0, 6, 2], [5]]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
  it('pads far less than batches in the given order on mixed lengths', () => {
    const lengths = Array.from({ length: 200 }, (_, i) => 10 + ((i * 37) % 100));
    const sorted = lengthSortedBatches(lengths, 32).flat();
    const given = lengths.map((_, i) => i);
    expect(paddedShare(sorted, lengths, 32)).toBeLessThan(paddedShare(given, lengths, 32) / 3);
  });
});
