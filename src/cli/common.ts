import { existsSync, readFileSync, statSync } from 'node:fs';
import { hubSource, type CheckpointSource } from '../core/checkpoint/source';
import { readCsvBytes, type CsvTable } from '../core/data/csv';
import { TabTuneError } from '../core/errors';
import { folderSource } from './folderSource';

export const log = (s: string) => process.stderr.write(`${s}\n`);

export function readCsvFile(path: string, flag = '--data'): CsvTable {
  if (!existsSync(path)) throw new TabTuneError('data', `${path}: no such file. Check the ${flag} path.`);
  if (statSync(path).isDirectory())
    throw new TabTuneError('data', `${path} is a folder; ${flag} takes a CSV file.`);
  const table = readCsvBytes(readFileSync(path), path);
  for (const w of table.warnings) log(`warning: ${w}`);
  return table;
}

/** A path that exists is a folder; anything else is a Hugging Face model id. */
export function sourceFor(model: string, revision: string): CheckpointSource {
  if (existsSync(model)) {
    if (!statSync(model).isDirectory()) {
      throw new TabTuneError(
        'usage',
        `--model ${model} is a file; pass the folder that holds config.json and the weights.`,
      );
    }
    return folderSource(model);
  }
  if (model.startsWith('.') || model.startsWith('/')) {
    throw new TabTuneError('usage', `--model ${model}: no such folder.`);
  }
  return hubSource(model, revision);
}

export function formatMetric(v: number | null, digits = 4): string {
  return v === null ? '—' : v.toFixed(digits);
}
