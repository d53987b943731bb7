import type { BertTokenizer, Encoded } from './bertTokenizer';

/** Encoded examples by index: what training, evaluation and scoring read batches from. */
export interface EncodedList {
  readonly length: number;
  get(i: number): Encoded;
  /** Tokens of example i, specials included (for length-grouped batches). */
  tokenCount(i: number): number;
}

/**
 * Many encoded examples in flat typed arrays: each token's id (2 bytes when the vocabulary fits, else 4) and,
 * per example, where it starts and where its second segment starts. An example's attention mask is all ones
 * and its token types 0 then 1, so they are rebuilt when a batch asks — about 2 bytes a token instead of the
 * three JS arrays `Encoded` holds (24 bytes a token), which is what lets a large file's tokens stay in memory.
 */
export class EncodedRows implements EncodedList {
  private constructor(
    private readonly ids: Uint16Array | Int32Array,
    /** starts[i] … starts[i + 1]: example i's tokens. */
    private readonly starts: Uint32Array,
    /** The first token of example i's second segment (its end when it has none). */
    private readonly pairStarts: Uint32Array,
  ) {}

  static encode(
    tokenizer: BertTokenizer,
    examples: ReadonlyArray<{ text: string; pair: string | null }>,
    maxLength: number,
  ): EncodedRows {
    const wide = tokenizer.vocabSize > 0xffff;
    let ids: Uint16Array | Int32Array = wide ? new Int32Array(1024) : new Uint16Array(1024);
    const starts = new Uint32Array(examples.length + 1);
    const pairStarts = new Uint32Array(examples.length);
    let used = 0;
    examples.forEach((e, i) => {
      const enc = tokenizer.encode(e.text, e.pair, maxLength);
      const n = enc.inputIds.length;
      if (used + n > ids.length) {
        const grown = wide ? new Int32Array(2 * (used + n)) : new Uint16Array(2 * (used + n));
        grown.set(ids.subarray(0, used));
        ids = grown;
      }
      ids.set(enc.inputIds, used);
      const second = enc.tokenTypeIds.indexOf(1);
      pairStarts[i] = used + (second < 0 ? n : second);
      used += n;
      starts[i + 1] = used;
    });
    return new EncodedRows(ids.slice(0, used), starts, pairStarts);
  }

  get length(): number {
    return this.pairStarts.length;
  }

  tokenCount(i: number): number {
    return (this.starts[i + 1] as number) - (this.starts[i] as number);
  }

  get(i: number): Encoded {
    const start = this.starts[i] as number;
    const end = this.starts[i + 1] as number;
    const pair = this.pairStarts[i] as number;
    const inputIds = Array.from(this.ids.subarray(start, end));
    const tokenTypeIds = inputIds.map((_, k) => (start + k < pair ? 0 : 1));
    return { inputIds, tokenTypeIds, attentionMask: new Array<number>(inputIds.length).fill(1) };
  }

  /** Every example as plain arrays (reference scripts that hand them to PyTorch). */
  toArray(): Encoded[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }

  /** Bytes the arrays hold (for the memory numbers). */
  get bytes(): number {
    return this.ids.byteLength + this.starts.byteLength + this.pairStarts.byteLength;
  }
}

/** Plain encoded examples as a list (tests, single texts). */
export function encodedList(rows: readonly Encoded[]): EncodedList {
  return {
    length: rows.length,
    get: (i) => rows[i] as Encoded,
    tokenCount: (i) => (rows[i] as Encoded).inputIds.length,
  };
}
