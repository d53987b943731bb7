import { seededRandom, shuffleInPlace } from '../data/split';

/**
 * The folds of a cross-fitted audit: every row gets a fold in 0..k−1 so that a model fitted on the other folds
 * predicts it out of sample. Rows that share a text (a copy) or a group id (one user's or item's rows) are one
 * unit and land in one fold — otherwise a model would "predict" a row from its own copy and find no error in it.
 * Units are shuffled with the seed and dealt to the fold with the fewest rows so far, larger units first, so the
 * folds hold nearly equal rows. Pure.
 */
export function auditFolds(
  keys: readonly string[],
  groups: readonly string[] | null,
  k: number,
  seed: number,
): Int32Array {
  const unit = unitsOf(keys, groups);
  const rowsOf = new Map<number, number[]>();
  unit.forEach((u, i) => (rowsOf.get(u) ?? rowsOf.set(u, []).get(u)!).push(i));
  const units = shuffleInPlace([...rowsOf.keys()], seededRandom(seed));
  // Stable sort: big units first (they are hardest to balance), ties in the seeded order.
  units.sort((a, b) => rowsOf.get(b)!.length - rowsOf.get(a)!.length);
  const size = new Array<number>(k).fill(0);
  const fold = new Int32Array(keys.length);
  for (const u of units) {
    let f = 0;
    for (let j = 1; j < k; j++) if (size[j]! < size[f]!) f = j;
    for (const i of rowsOf.get(u)!) fold[i] = f;
    size[f]! += rowsOf.get(u)!.length;
  }
  return fold;
}

/** How many distinct units (rows joined by a shared text or group) the rows form: the most folds they allow. */
export function auditUnits(keys: readonly string[], groups: readonly string[] | null): number {
  return new Set(unitsOf(keys, groups)).size;
}

/** Each row's unit id: rows joined, through any chain, by a shared key or a shared group (union–find). */
function unitsOf(keys: readonly string[], groups: readonly string[] | null): number[] {
  const parent = keys.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const join = (by: readonly string[]) => {
    const first = new Map<string, number>();
    by.forEach((v, i) => {
      const f = first.get(v);
      if (f === undefined) first.set(v, i);
      else parent[find(i)] = find(f);
    });
  };
  join(keys);
  if (groups) join(groups);
  return parent.map((_, i) => find(i));
}
