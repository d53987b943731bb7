// Dropout masks as a pure function of (rate, seed, index): no TF.js, so every backend's kernel can share it.

/** Fills `out` with a dropout mask (see dropoutMask). Pure: the same (rate, seed) gives the same mask. */
export function fillDropoutMask(out: Float32Array, rate: number, seed: number): void {
  const scale = 1 / (1 - rate);
  const threshold = dropoutThreshold(rate);
  const key = seedKey(seed);
  for (let i = 0; i < out.length; i++) out[i] = hash32((i ^ key) + key) >>> 8 >= threshold ? scale : 0;
}

/** Draws are 24-bit: entry i is kept when hash32((i ^ key) + key) >>> 8 ≥ this, i.e. u ≥ rate, u = h / 2²⁴. */
export function dropoutThreshold(rate: number): number {
  return Math.round(rate * 2 ** 24);
}

/** A 32-bit key from a seed up to 2⁵³ (both halves mixed). */
export function seedKey(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  return hash32(lo ^ hash32(hi + 0x9e3779b9));
}

/** Chris Wellons' "lowbias32" integer hash (a bijection on 32 bits with low bias). */
export function hash32(x: number): number {
  let z = x >>> 0;
  z ^= z >>> 16;
  z = Math.imul(z, 0x7feb352d);
  z ^= z >>> 15;
  z = Math.imul(z, 0x846ca68b);
  z ^= z >>> 16;
  return z >>> 0;
}
