import { writeFileSync } from 'node:fs';
import type { LrFinderOptions } from '../core/train/lrFinder';
import { runLrFinder } from '../core/train/run';
import { log } from './common';
import { runRequestFor, type RunArgs } from './train';

export interface LrFindArgs extends RunArgs {
  model: string;
  options: LrFinderOptions;
  /** Also write the JSON here. */
  out: string | null;
}

/**
 * `cli lr-find`: the learning-rate range test on the data and model `train` would use (same flags): the loss
 * at each rate on stderr as it goes, then {points, suggestion, reason} as JSON on stdout.
 */
export async function runLrFind(args: LrFindArgs): Promise<void> {
  const request = await runRequestFor(args);
  const result = await runLrFinder({ ...request, events: { log } }, args.options, (p) => {
    if (p.step % 5 === 0)
      log(`lr ${p.lr.toExponential(2)}  loss ${p.loss.toFixed(4)}  smoothed ${p.smoothed.toFixed(4)}`);
  });
  log(
    result.suggestion === null
      ? 'No suggestion.'
      : `Suggested learning rate: ${result.suggestion} (--lr ${result.suggestion})`,
  );
  const json = `${JSON.stringify(result, null, 2)}\n`;
  process.stdout.write(json);
  if (args.out !== null) writeFileSync(args.out, json);
}
