import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../data/labels';
import { taskLoss } from './loss';

// scripts/reference/loss_golden.py: torch's MSELoss, BCEWithLogitsLoss and CrossEntropyLoss on the same logits.
const golden = JSON.parse(
  readFileSync(new URL('../../../test-fixtures/loss/golden.json', import.meta.url), 'utf8'),
) as { cases: Array<{ task: Task; logits: number[][]; targets: number[]; loss: number }> };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('taskLoss equals PyTorch (the one loss formula: training and evaluation both use it)', () => {
  it.each(golden.cases.map((c, i) => [`${c.task} #${i} (${c.targets.length} rows)`, c] as const))(
    '%s',
    (_, c) => {
      const got = tf.tidy(
        () => taskLoss(c.task, tf.tensor2d(c.logits), tf.tensor1d(c.targets)).dataSync()[0],
      );
      expect(Math.abs((got as number) - c.loss) / Math.max(1, c.loss)).toBeLessThan(1e-5);
    },
  );
});
