import { writeFileSync } from 'node:fs';
import { startBackend } from './backend';
import { runClassical, describeOutcome } from '../core/baseline/classical';
import { dataRecord, prepareData } from '../core/train/prepare';
import { log } from './common';
import { runData, type RunArgs } from './train';

export interface BaselineArgs extends RunArgs {
  /** Also write the JSON here. */
  out: string | null;
}

/**
 * `cli baseline`: the classical baseline alone, on the very split `train` makes with the same flags (the same
 * prepareData, seed and fractions), so its numbers stand beside a fine-tuning run's. JSON on stdout.
 */
export async function runBaseline(args: BaselineArgs): Promise<void> {
  await startBackend(); // the loss is the BERT head's own (train/loss.ts), a TF.js op
  const { data: file, validation, roles } = runData(args);
  const data = prepareData(file.table, roles, file.file, args.config, validation);
  for (const w of data.warnings) log(`warning: ${w}`);
  const result = await runClassical(data.spec, data);
  log(describeOutcome({ fitted: true, result }));
  const json = `${JSON.stringify({ ...result, spec: data.spec, data: dataRecord(data, args.data) }, null, 2)}\n`;
  process.stdout.write(json);
  if (args.out !== null) writeFileSync(args.out, json);
}
