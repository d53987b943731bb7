/** Seeded, stratified train / validation / test split. */

export interface SplitFractions {
  validation: number;
  test: number;
}

/** A split's sizes as every report says them: "1598 train / 201 validation / 201 test". Pure. */
export function splitSizes(n: { train: number; validation: number; test: number }): string {
  return `${n.train} train / ${n.validation} validation / ${n.test} test`;
}

export interface SplitIndices {
  train: number[];
  validation: number[];
  test: number[];
}

/** mulberry32: a small seeded PRNG, so the same seed gives the same split in the browser and in Node. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

/**
 * Splits indices 0..n-1. Each stratum (one per distinct label, or per decile when labels are continuous)
 * is shuffled and cut in the same proportions, so rare ratings appear in every split.
 */
export function stratifiedSplit(
  labels: readonly number[],
  fractions: SplitFractions,
  seed: number,
): SplitIndices {
  const random = seededRandom(seed);
  const strata = new Map<number, number[]>();
  const keyOf = strataKeys(labels);
  labels.forEach((_, i) => {
    const k = keyOf[i] as number;
    const list = strata.get(k) ?? [];
    list.push(i);
    strata.set(k, list);
  });
  const out: SplitIndices = { train: [], validation: [], test: [] };
  for (const key of [...strata.keys()].sort((a, b) => a - b)) {
    const idx = shuffleInPlace(strata.get(key) as number[], random);
    const nVal = Math.round(idx.length * fractions.validation);
    const nTest = Math.round(idx.length * fractions.test);
    out.validation.push(...idx.slice(0, nVal));
    out.test.push(...idx.slice(nVal, nVal + nTest));
    out.train.push(...idx.slice(nVal + nTest));
  }
  return shuffleEach(out, random); // interleave strata so batches are not sorted by rating
}

function strataKeys(labels: readonly number[]): number[] {
  const distinct = new Set(labels);
  if (distinct.size <= 20) return [...labels];
  const sorted = [...labels].sort((a, b) => a - b);
  const cuts = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(
    (d) => sorted[Math.floor((d / 10) * (sorted.length - 1))] as number,
  );
  return labels.map((l) => cuts.filter((c) => l > c).length);
}

/**
 * Splits indices 0..n-1 so that every group's rows land in one split (no user's or item's rows on both sides of
 * train and test). Groups are shuffled with the seed and handed to validation, then test, until each holds its
 * share of the rows; the rest train.
 */
export function groupedSplit(
  groups: readonly string[],
  fractions: SplitFractions,
  seed: number,
): SplitIndices {
  const random = seededRandom(seed);
  const rows = new Map<string, number[]>();
  groups.forEach((g, i) => (rows.get(g) ?? rows.set(g, []).get(g)!).push(i));
  const order = shuffleInPlace([...rows.keys()], random);
  const want = {
    validation: Math.round(groups.length * fractions.validation),
    test: Math.round(groups.length * fractions.test),
  };
  const out: SplitIndices = { train: [], validation: [], test: [] };
  for (const g of order) {
    const idx = rows.get(g)!;
    const to =
      out.validation.length < want.validation ? 'validation' : out.test.length < want.test ? 'test' : 'train';
    out[to].push(...idx);
  }
  return shuffleEach(out, random);
}

function shuffleEach(split: SplitIndices, random: () => number): SplitIndices {
  shuffleInPlace(split.train, random);
  shuffleInPlace(split.validation, random);
  shuffleInPlace(split.test, random);
  return split;
}

/**
 * `stratifiedSplit` with every copy of a repeated key (a text repeated by a bad join) in one split: the distinct keys
 * are split, stratified by their first row's label, and each key's rows follow it. Without repeats it is exactly
 * `stratifiedSplit`. Copies in both training and test would let a model (the classical baseline first) score by
 * memory.
 */
export function stratifiedSplitKeepingCopies(
  labels: readonly number[],
  keys: readonly string[],
  fractions: SplitFractions,
  seed: number,
): SplitIndices {
  const rowsOf = new Map<string, number[]>();
  keys.forEach((k, i) => (rowsOf.get(k) ?? rowsOf.set(k, []).get(k)!).push(i));
  if (rowsOf.size === keys.length) return stratifiedSplit(labels, fractions, seed);
  const firsts = [...rowsOf.values()].map((rows) => rows[0]!);
  const s = stratifiedSplit(
    firsts.map((i) => labels[i]!),
    fractions,
    seed,
  );
  const expand = (idx: number[]) => idx.flatMap((u) => rowsOf.get(keys[firsts[u]!]!)!);
  return { train: expand(s.train), validation: expand(s.validation), test: expand(s.test) };
}
