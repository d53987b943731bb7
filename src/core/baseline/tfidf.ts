/*
 * TF-IDF features as scikit-learn's `TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)` makes
 * them (its other settings at their defaults: lowercase, token pattern `(?u)\b\w\w+\b`, smooth idf, l2 rows),
 * fitted on the training texts only. Checked term by term against scikit-learn in `classical.test.ts`.
 */

/** A sparse matrix in compressed rows: row r's entries are `indices`/`values` [indptr[r], indptr[r+1]). */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export interface TfidfSettings {
  /** Word n-grams from 1 to this (1: words; 2: words and word pairs). */
  maxN: 1 | 2;
  /** A term must occur in at least this many training texts. */
  minDf: number;
}

export const TFIDF_SETTINGS: TfidfSettings = { maxN: 2, minDf: 2 };

export interface Tfidf {
  /** Term → column. */
  vocabulary: Map<string, number>;
  /** Inverse document frequency per column: ln((1 + n) / (1 + df)) + 1. */
  idf: Float64Array;
  settings: TfidfSettings;
  /** Word → id. Texts are counted by numeric term keys (`countTerms`), which sort and compare fast. */
  wordIds: Map<string, number>;
  /** The kept terms' keys, ascending, and each one's column. */
  keys: Float64Array;
  columnOfKey: Int32Array;
}

/**
 * Python's `\w` in a str pattern: letters, numbers and the underscore; `\b\w\w+\b` is then every maximal run
 * of two or more of them.
 */
const WORD = /[\p{L}\p{N}_]{2,}/gu;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Word ids (< 2^26) → term keys: a word's key is its id, a pair's (id₁ + 1)·2^26 + id₂ (exact in a double). */
const PAIR = 2 ** 26;

/** A text's distinct term keys, ascending, and how often each occurs. */
interface Counted {
  keys: Float64Array;
  counts: Int32Array;
}

/** Count a text's terms by key; an unseen word (when `add` is false) has no key and ends a pair. */
function countTerms(text: string, maxN: 1 | 2, wordIds: Map<string, number>, add: boolean): Counted {
  const all: number[] = [];
  let previous = -1;
  for (const word of words(text)) {
    let id = wordIds.get(word);
    if (id === undefined && add) wordIds.set(word, (id = wordIds.size));
    if (id === undefined) {
      previous = -1;
      continue;
    }
    all.push(id);
    if (maxN === 2 && previous >= 0) all.push((previous + 1) * PAIR + id);
    previous = id;
  }
  return runs(Float64Array.from(all).sort());
}

/** Each distinct value of an ascending array, with the number of times it occurs. */
function runs(sorted: Float64Array): Counted {
  const keys = new Float64Array(sorted.length);
  const counts = new Int32Array(sorted.length);
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (n > 0 && sorted[i] === keys[n - 1]) counts[n - 1] = (counts[n - 1] as number) + 1;
    else {
      keys[n] = sorted[i] as number;
      counts[n++] = 1;
    }
  }
  return { keys: keys.subarray(0, n), counts: counts.subarray(0, n) };
}

/**
 * The vocabulary (terms in at least `minDf` texts, sorted as scikit-learn sorts them), their idf, and the
 * training texts' rows, counting each text once.
 */
export function fitTransformTfidf(
  texts: readonly string[],
  settings: TfidfSettings = TFIDF_SETTINGS,
): { tfidf: Tfidf; x: Csr } {
  const wordIds = new Map<string, number>();
  const counted = texts.map((t) => countTerms(t, settings.maxN, wordIds, true));
  const all = new Float64Array(counted.reduce((n, c) => n + c.keys.length, 0));
  counted.reduce((at, c) => (all.set(c.keys, at), at + c.keys.length), 0);
  const df = runs(all.sort()); // df.counts: in how many texts each key occurs
  const wordList = [...wordIds.keys()];
  const kept: Array<{ key: number; df: number; term: string }> = [];
  df.keys.forEach((key, i) => {
    if ((df.counts[i] as number) < settings.minDf) return;
    const term =
      key < PAIR ? wordList[key]! : `${wordList[Math.floor(key / PAIR) - 1]} ${wordList[key % PAIR]}`;
    kept.push({ key, df: df.counts[i] as number, term });
  });
  const byTerm = kept.map((_, i) => i).sort((a, b) => (kept[a]!.term < kept[b]!.term ? -1 : 1)); // names the columns
  const columnOfKey = new Int32Array(kept.length);
  byTerm.forEach((i, col) => (columnOfKey[i] = col));
  const n = texts.length;
  const tfidf: Tfidf = {
    vocabulary: new Map(byTerm.map((i, col) => [kept[i]!.term, col])),
    idf: Float64Array.from(byTerm, (i) => Math.log((1 + n) / (1 + kept[i]!.df)) + 1),
    settings,
    wordIds,
    keys: Float64Array.from(kept, (t) => t.key), // ascending, as df's are
    columnOfKey,
  };
  return { tfidf, x: rowsOf(tfidf, counted) };
}

/** The column of a term key, or −1 when the term is not in the vocabulary (binary search). */
function columnOf(model: Tfidf, key: number): number {
  let [lo, hi] = [0, model.keys.length - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = model.keys[mid] as number;
    if (k === key) return model.columnOfKey[mid] as number;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Rows of (1 + ln tf) · idf over the fitted vocabulary, each scaled to unit length (a row with no known term stays empty). */
export function transformTfidf(model: Tfidf, texts: readonly string[]): Csr {
  return rowsOf(
    model,
    texts.map((t) => countTerms(t, model.settings.maxN, model.wordIds, false)),
  );
}

function rowsOf(model: Tfidf, counted: readonly Counted[]): Csr {
  const indptr = new Int32Array(counted.length + 1);
  const indices = new Int32Array(counted.reduce((n, c) => n + c.keys.length, 0));
  const values = new Float64Array(indices.length);
  let at = 0;
  counted.forEach(({ keys, counts }, r) => {
    const start = at;
    let squares = 0;
    for (let i = 0; i < keys.length; i++) {
      const col = columnOf(model, keys[i] as number);
      if (col < 0) continue;
      const v = (1 + Math.log(counts[i] as number)) * (model.idf[col] as number);
      indices[at] = col;
      values[at++] = v;
      squares += v * v;
    }
    const norm = Math.sqrt(squares);
    for (let p = start; p < at; p++) values[p] = (values[p] as number) / norm;
    indptr[r + 1] = at;
  });
  return {
    rows: counted.length,
    cols: model.idf.length,
    indptr,
    indices: indices.slice(0, at),
    values: values.slice(0, at),
  };
}
