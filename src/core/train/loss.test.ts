import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../data/labels';
import { multiLabelLoss, taskLoss } from './loss';

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

// scripts/reference/multilabel_golden.py: torch's BCEWithLogitsLoss on [B, L] logits, with and without pos_weight.
const multi = JSON.parse(
  readFileSync(new URL('../../../test-fixtures/multilabel/golden.json', import.meta.url), 'utf8'),
) as { losses: Array<{ logits: number[][]; targets: number[][]; posWeight: number[] | null; loss: number }> };

describe('multiLabelLoss equals PyTorch’s BCEWithLogitsLoss (transformers’ multi_label_classification)', () => {
  it.each(
    multi.losses.map(
      (c, i) =>
        [
          `#${i}: ${c.logits.length} rows × ${c.logits[0]!.length} labels${c.posWeight ? ', pos_weight' : ''}`,
          c,
        ] as const,
    ),
  )('%s', (_, c) => {
    const got = tf.tidy(
      () =>
        multiLabelLoss(
          tf.tensor2d(c.logits),
          tf.tensor2d(c.targets),
          c.posWeight ? tf.tensor1d(c.posWeight) : null,
        ).dataSync()[0],
    );
    expect(Math.abs((got as number) - c.loss) / Math.max(1, c.loss)).toBeLessThan(1e-5);
  });
});
