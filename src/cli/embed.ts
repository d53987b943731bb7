import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { startBackend } from './backend';
import { loadCheckpoint } from '../core/checkpoint/load';
import { requireColumn, requireWellFormed } from '../core/data/csv';
import { DEFAULT_EMBED_OPTIONS, embedRows } from '../core/embed';
import { BertModel } from '../core/model/bert';
import { log, readCsvFile, sourceFor } from './common';

export interface EmbedArgs {
  model: string;
  revision: string;
  data: string;
  textColumn: string;
  pairColumn: string | null;
  /** null: 128, or the model's max_position_embeddings if lower. */
  maxLength: number | null;
  batchSize: number;
  out: string;
}

export async function runEmbed(args: EmbedArgs): Promise<void> {
  const table = readCsvFile(args.data);
  requireColumn(table, args.textColumn, args.data);
  requireWellFormed(table, args.data);
  if (args.pairColumn !== null) requireColumn(table, args.pairColumn, args.data);

  const backend = await startBackend();
  const ckpt = await loadCheckpoint(sourceFor(args.model, args.revision));
  log(
    `model: ${ckpt.source} (${ckpt.weightsFile}; ${ckpt.config.num_hidden_layers} layers, hidden ${ckpt.config.hidden_size}, ${ckpt.config.hidden_act}); backend: ${backend.name}`,
  );
  if (ckpt.report.initialized.length > 0)
    log(`note: not in the checkpoint, initialized fresh: ${ckpt.report.initialized.join(', ')}`);
  if (ckpt.report.unexpected.length > 0)
    log(`note: in the checkpoint but unused: ${ckpt.report.unexpected.join(', ')}`);

  const model = new BertModel(ckpt.config, ckpt.weights);
  const rows = table.rows.map(({ values }) => ({
    text: values[args.textColumn] ?? '',
    pair: args.pairColumn === null ? null : (values[args.pairColumn] ?? ''),
  }));
  const out = createWriteStream(args.out);
  let n = 0;
  const maxLength =
    args.maxLength ??
    defaultMaxLength(ckpt.tokenizerConfig.model_max_length, ckpt.config.max_position_embeddings);
  if (args.maxLength === null) log(`max length: ${maxLength} tokens (--max-length chooses another)`);
  for await (const rec of embedRows(model, ckpt.tokenizer, rows, { maxLength, batchSize: args.batchSize })) {
    if (!out.write(`${JSON.stringify(rec)}\n`)) await once(out, 'drain');
    if (++n % 100 === 0) log(`embedded ${n}/${rows.length} rows`);
  }
  out.end();
  await once(out, 'finish');
  model.dispose();
  log(`wrote ${n} rows to ${args.out}`);
}

/**
 * Where texts are cut when --max-length is not given: the model's own `model_max_length` (a TabTune export keeps its
 * run's; Hugging Face's tokenizer truncates there), when it declares one the positions allow; otherwise
 * min(128, positions). Pure.
 */
export function defaultMaxLength(modelMaxLength: number | undefined, positions: number): number {
  return modelMaxLength !== undefined && modelMaxLength >= 4 && modelMaxLength <= positions
    ? modelMaxLength
    : Math.min(DEFAULT_EMBED_OPTIONS.maxLength, positions);
}
