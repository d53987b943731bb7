import * as tf from '@tensorflow/tfjs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeError, TabTuneError } from '../core/errors';
import { runEmbed } from './embed';

const USAGE = `TabTune command line (the studio's core, headless, on the CPU)

Usage:
  npm run cli -- embed --model <dir | hf-id> --data <file.csv> --text-column <name>
                       [--text-pair-column <name>] [--max-length N] [--batch-size 16]
                       [--revision main] --out <file.jsonl>

  embed   Tokenize each CSV row and write one JSON line per row, in order:
          {"input_ids", "token_type_ids", "cls", "pooled"} (cls = last hidden state at [CLS]).
          --max-length counts [CLS]/[SEP]; default 128, or the model's limit if lower.
          --model: a folder with config.json + weights, or a Hugging Face id (e.g.
          google/bert_uncased_L-2_H-128_A-2) downloaded from huggingface.co.
`;

export async function main(argv: string[]): Promise<number> {
  // PROD silences TF.js's console banner (it suggests tfjs-node, a native download that TabTune avoids).
  tf.env().set('PROD', true);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'embed': {
        const { values } = parseFlags({
          args: rest,
          options: {
            model: { type: 'string' },
            revision: { type: 'string', default: 'main' },
            data: { type: 'string' },
            'text-column': { type: 'string' },
            'text-pair-column': { type: 'string' },
            'max-length': { type: 'string' },
            'batch-size': { type: 'string', default: '16' },
            out: { type: 'string' },
          },
        });
        await runEmbed({
          model: required(values.model, '--model'),
          revision: values.revision ?? 'main',
          data: required(values.data, '--data'),
          textColumn: required(values['text-column'], '--text-column'),
          pairColumn: values['text-pair-column'] ?? null,
          maxLength:
            values['max-length'] === undefined ? null : positiveInt(values['max-length'], '--max-length'),
          batchSize: positiveInt(values['batch-size'], '--batch-size'),
          out: required(values.out, '--out'),
        });
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
      default:
        throw new TabTuneError('usage', `unknown command "${command}".\n\n${USAGE}`);
    }
  } catch (e) {
    process.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  }
}

/** node:util parseArgs, with its complaints (unknown flag, missing value) turned into usage errors. */
function parseFlags<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs({ ...config, strict: true, allowPositionals: false });
  } catch (e) {
    throw new TabTuneError('usage', `${(e as Error).message}. Run "npm run cli -- help" for usage.`);
  }
}

function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === '')
    throw new TabTuneError('usage', `${flag} is required. Run "npm run cli -- help" for usage.`);
  return v;
}

function positiveInt(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new TabTuneError('usage', `${flag} must be a positive whole number, got "${v}".`);
  return n;
}
