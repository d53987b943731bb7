import { seededRandom, shuffleInPlace } from '../data/split';

/**
 * Length-grouped batches, as Hugging Face's `group_by_length` (LengthGroupedSampler) makes them, with one
 * change: the shuffled order is cut into megabatches of 50 batches and each megabatch is sorted by length, so
 * a batch holds texts of similar length (little padding, since a batch is padded to its longest); then the
 * batches of a megabatch are shuffled, with the one holding the longest text kept first, so that a batch too
 * big for the device fails at the first step of the epoch, not in its middle (and a short last batch stays
 * last). Hugging Face keeps them in sorted
 * order: every epoch (one megabatch on 1,600 rows at batch 32) then runs from the longest texts to the
 * shortest, and fine-tuning a pretrained tiny BERT on real reviews lost about 0.02 validation AUC to that
 * order over seeds (docs/defaults.md, `npm run sweep`). `random` draws the batch shuffle. Pure.
 */
export function lengthGroupedOrder(
  order: readonly number[],
  lengths: readonly number[],
  batchSize: number,
  random: () => number,
  batchesPerMegabatch = 50,
): number[] {
  const size = batchSize * batchesPerMegabatch;
  const out: number[] = [];
  for (let start = 0; start < order.length; start += size) {
    const mega = order.slice(start, start + size);
    // Stable sort: equal lengths keep their shuffled order.
    mega.sort((a, b) => (lengths[b] as number) - (lengths[a] as number));
    const batches: number[][] = [];
    for (let b = 0; b < mega.length; b += batchSize) batches.push(mega.slice(b, b + batchSize));
    // A short batch (only the epoch's last one can be) stays last: the trainer cuts the order every batchSize.
    const short = batches.at(-1)!.length < batchSize ? batches.pop()! : [];
    const [longest = [], ...rest] = batches;
    out.push(...longest, ...shuffleInPlace(rest, random).flat(), ...short);
  }
  return out;
}

/** The share of padding among the tokens of `order` cut into batches, each padded to its longest. Pure. */
export function paddedShare(order: readonly number[], lengths: readonly number[], batchSize: number): number {
  let padded = 0;
  let real = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = order.slice(start, start + batchSize).map((i) => lengths[i] as number);
    padded += Math.max(...batch) * batch.length;
    real += batch.reduce((s, n) => s + n, 0);
  }
  return padded === 0 ? 0 : 1 - real / padded;
}

/**
 * Inference batches of indices 0…n−1 sorted by length, longest first (stable), cut every `batchSize`: for
 * evaluation and scoring, where the order does not matter and each output goes back to its own row. Pure.
 */
export function lengthSortedBatches(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => (lengths[b] as number) - (lengths[a] as number));
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize)
    batches.push(order.slice(start, start + batchSize));
  return batches;
}

/**
 * The training order of every epoch, as the trainer draws it: one seeded stream shuffles the rows anew each
 * epoch, then (with `groupByLength`) the shuffle is grouped by length. `shuffled` is the order before grouping
 * (to report what grouping saved). Pure: the same seed gives the same orders, which a PyTorch peer can then
 * follow batch for batch (scripts/fidelity.ts --same-draws).
 */
export function* epochOrders(
  seed: number,
  lengths: readonly number[],
  batchSize: number,
  groupByLength: boolean,
): Generator<{ order: number[]; shuffled: number[] }> {
  const random = seededRandom(seed ^ 0x5bd1e995);
  for (;;) {
    const shuffled = shuffleInPlace([...lengths.keys()], random);
    const order = groupByLength ? lengthGroupedOrder(shuffled, lengths, batchSize, random) : shuffled;
    yield { order, shuffled };
  }
}
