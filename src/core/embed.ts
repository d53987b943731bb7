import * as tf from '@tensorflow/tfjs';
import { batchInputs, padBatch } from './batch';
import { TabTuneError } from './errors';
import type { BertModel } from './model/bert';
import type { BertTokenizer } from './tokenizer/bertTokenizer';

export interface TextRow {
  text: string;
  pair: string | null;
}

/** One output line of `cli embed`; field names follow Hugging Face. */
export interface EmbeddingRecord {
  input_ids: number[];
  token_type_ids: number[];
  /** Last hidden state at [CLS]. */
  cls: number[];
  pooled: number[];
}

export interface EmbedOptions {
  maxLength: number;
  batchSize: number;
}

export const DEFAULT_EMBED_OPTIONS: EmbedOptions = { maxLength: 128, batchSize: 16 };

/** Tokenizes and runs the encoder batch by batch, yielding records in input order. */
export async function* embedRows(
  model: BertModel,
  tokenizer: BertTokenizer,
  rows: readonly TextRow[],
  options: EmbedOptions = DEFAULT_EMBED_OPTIONS,
): AsyncGenerator<EmbeddingRecord> {
  const maxPos = model.config.max_position_embeddings;
  if (options.maxLength > maxPos) {
    throw new TabTuneError(
      'usage',
      `--max-length ${options.maxLength} exceeds the model's max_position_embeddings (${maxPos}). Use at most ${maxPos}.`,
    );
  }
  for (let start = 0; start < rows.length; start += options.batchSize) {
    const encoded = rows
      .slice(start, start + options.batchSize)
      .map((r) => tokenizer.encode(r.text, r.pair, options.maxLength));
    const b = padBatch(encoded, tokenizer.padId);
    const [cls, pooled] = tf.tidy(() => {
      const out = model.forward(batchInputs(b));
      const h = model.config.hidden_size;
      return [
        out.lastHiddenState.slice([0, 0, 0], [b.batchSize, 1, h]).reshape([b.batchSize, h]),
        out.pooled,
      ];
    });
    // Async reads: a synchronous read stalls the GPU pipeline (and is slow on WebGPU).
    const [clsData, pooledData] = await Promise.all([cls.data(), pooled.data()]);
    cls.dispose();
    pooled.dispose();
    const h = model.config.hidden_size;
    for (let i = 0; i < encoded.length; i++) {
      const e = encoded[i]!;
      yield {
        input_ids: e.inputIds,
        token_type_ids: e.tokenTypeIds,
        cls: Array.from(clsData.subarray(i * h, (i + 1) * h)),
        pooled: Array.from(pooledData.subarray(i * h, (i + 1) * h)),
      };
    }
  }
}
