import { padBatch } from '../batch';
import type { Target } from '../data/labels';
import type { EncodedRows } from '../tokenizer/encodedRows';
import type { SchedulePlan } from './schedule';
import type { MicroBatch } from './step';

/** The micro-batches of each optimizer step of one epoch, in the epoch's order. */
export function* stepBatches(
  order: number[],
  plan: SchedulePlan,
  enc: EncodedRows,
  targets: Target[],
  padId: number,
  skipSteps = 0,
): Generator<MicroBatch[]> {
  for (let first = skipSteps * plan.microPerStep; first < plan.microPerEpoch; first += plan.microPerStep) {
    const micro: MicroBatch[] = [];
    for (let j = first; j < Math.min(first + plan.microPerStep, plan.microPerEpoch); j++) {
      const idx = order.slice(j * plan.batchSize, (j + 1) * plan.batchSize);
      micro.push({
        batch: padBatch(
          idx.map((i) => enc.get(i)),
          padId,
        ),
        targets: idx.map((i) => targets[i] as Target),
      });
    }
    yield micro;
  }
}
