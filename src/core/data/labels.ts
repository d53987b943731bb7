import { TabTuneError } from '../errors';
import { settingError } from '../train/settingNames';
import { targetVector } from './labelSets';

export type Task = 'regression' | 'classification' | 'binary' | 'multi-label';
export const TASKS: readonly Task[] = ['regression', 'classification', 'binary', 'multi-label'];

export interface RatingScale {
  min: number;
  max: number;
}

/** How ratings become training targets and model outputs become ratings and scores. */
export interface LabelSpec {
  task: Task;
  scale: RatingScale;
  /** Ratings ≥ threshold are "positive" for AUC (and the binary task). */
  threshold: number;
  /** Classification: the rating of each class, ascending. */
  classes: number[];
  /** Multi-label: the labels, one sigmoid output each, in the model's order (absent or empty for the other tasks). */
  labels?: string[];
  /** Multi-label, once trained: each label's threshold, chosen on validation (the best F1); a model's export keeps it. */
  labelThresholds?: number[];
}

/** The multi-label task's spec: one 0/1 target per label; its ratings scale is 0–1 and a label is on at ≥ 0.5. */
export function multiLabelSpec(labels: readonly string[]): LabelSpec {
  return { task: 'multi-label', scale: { min: 0, max: 1 }, threshold: 0.5, classes: [], labels: [...labels] };
}

export function detectScale(ratings: readonly number[]): RatingScale {
  if (ratings.length === 0)
    throw new TabTuneError('data', 'There are no usable rows, so the rating scale is unknown.');
  let min = Infinity;
  let max = -Infinity;
  for (const r of ratings) {
    if (r < min) min = r;
    if (r > max) max = r;
  }
  return { min, max };
}

/**
 * The top quarter of the scale counts as positive: 4 on a 1–5 scale (rounded up to a whole rating on a
 * whole-number scale of at least three values), 0.75 on 0–1 (not rounded: on a continuous or 0/1 scale
 * rounding up would put the threshold above every rating but the top, or above all of them).
 */
export function defaultThreshold(scale: RatingScale): number {
  const t = scale.min + 0.75 * (scale.max - scale.min);
  const wholeScale = Number.isInteger(scale.min) && Number.isInteger(scale.max) && scale.max - scale.min >= 2;
  return wholeScale ? Math.ceil(t) : t;
}

/**
 * Ratings that stretch a guessed scale: a rare extreme value (at most 1 % of rows) far from the rest — more
 * than one whole step away on whole-number ratings, more than the span of the rest otherwise. Up to three
 * from each end, for a warning naming their rows (a typo like 1e3 or −1 among 1–5 stars). Pure.
 */
export function scaleOutliers(ratings: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const r of ratings) counts.set(r, (counts.get(r) ?? 0) + 1);
  const values = [...counts.keys()].sort((a, b) => a - b);
  const rare = Math.max(1, Math.ceil(0.01 * ratings.length));
  const whole = values.every(Number.isInteger);
  const far = (v: number, next: number, rest: number) => Math.abs(v - next) > (whole ? 1 : rest);
  const out: number[] = [];
  for (let k = 0; k < 3 && values.length >= 3; k++) {
    const [lo, lo2, hi, hi2] = [values[0]!, values[1]!, values.at(-1)!, values.at(-2)!];
    if ((counts.get(hi) ?? 0) <= rare && far(hi, hi2, hi2 - lo)) out.push(values.pop()!);
    else if ((counts.get(lo) ?? 0) <= rare && far(lo, lo2, hi - lo2)) out.push(values.shift()!);
    else break;
  }
  return out.sort((a, b) => a - b);
}

export function makeLabelSpec(
  task: Task,
  ratings: readonly number[],
  options: { scale?: RatingScale; threshold?: number } = {},
): LabelSpec {
  const scale = options.scale ?? detectScale(ratings);
  if (!(scale.max > scale.min)) {
    throw new TabTuneError(
      'data',
      `Every rating is ${scale.min}: a model cannot learn from a single value. Check the label column.`,
    );
  }
  const threshold = options.threshold ?? defaultThreshold(scale);
  const outside = ratings.find((r) => r < scale.min || r > scale.max);
  if (outside !== undefined && options.scale)
    throw settingError(
      'scale',
      `${scale.min}–${scale.max} does not hold rating ${outside} of the data. Widen the scale, or leave it to the data.`,
    );
  let classes: number[] = [];
  if (task === 'classification') {
    const nonInteger = ratings.find((r) => !Number.isInteger(r));
    if (nonInteger !== undefined) {
      throw new TabTuneError(
        'data',
        `Classification needs whole-number ratings, but ${nonInteger} is not one. Use the regression task.`,
      );
    }
    classes = [];
    for (let v = scale.min; v <= scale.max; v++) classes.push(v);
    if (classes.length > 100) {
      throw new TabTuneError(
        'data',
        `A ${scale.min}–${scale.max} scale makes ${classes.length} classes; use the regression task.`,
      );
    }
  }
  if (task === 'binary') {
    const pos = ratings.filter((r) => r >= threshold).length;
    if (pos === 0 || pos === ratings.length) {
      const rule = `makes every rating ${pos === 0 ? 'negative' : 'positive'}`;
      if (options.threshold !== undefined)
        throw settingError(
          'threshold',
          `${threshold} ${rule}. Choose a threshold inside the scale (${scale.min}–${scale.max}).`,
        );
      throw new TabTuneError(
        'data',
        `Every rating is ${pos === 0 ? 'below' : 'at or above'} the default threshold ${threshold}, which ${rule}: the binary task needs both. Choose a threshold, or check the label column.`,
      );
    }
  }
  return { task, scale, threshold, classes };
}

export function numLabels(spec: LabelSpec): number {
  if (spec.task === 'multi-label') return spec.labels?.length ?? 0;
  return spec.task === 'classification' ? spec.classes.length : 1;
}

/**
 * The training target: regression → rating scaled to [0, 1]; binary → 0/1; classification → class index. A
 * multi-label row's targets are its labels' 0/1 (`targetsOf`), not a rating's.
 */
export function targetOf(spec: LabelSpec, rating: number): number {
  switch (spec.task) {
    case 'multi-label':
      throw new Error('targetOf: a multi-label row has one target per label (targetsOf)');
    case 'regression':
      return (rating - spec.scale.min) / (spec.scale.max - spec.scale.min);
    case 'binary':
      return rating >= spec.threshold ? 1 : 0;
    case 'classification':
      return spec.classes.indexOf(rating);
  }
}

export interface Prediction {
  /** The predicted rating on the rating scale (regression, classification), or P(positive) (binary). */
  score: number;
  /** P(rating ≥ threshold) where the task gives probabilities; otherwise the predicted rating. Ranks for AUC. */
  rankScore: number;
  /** Classification: one probability per class; multi-label: one per label. */
  probabilities: number[] | null;
}

/** A row's training target: one number, or (multi-label) one 0/1 per label. */
export type Target = number | readonly number[];

/** A row's training target under this spec: `targetOf` its rating, or its labels' 0/1 (multi-label). */
export function exampleTarget(spec: LabelSpec, row: { rating: number; tags?: readonly string[] }): Target {
  return spec.task === 'multi-label'
    ? targetVector(row.tags ?? [], spec.labels ?? [])
    : targetOf(spec, row.rating);
}

/** Model outputs (one row of logits or the regression output) → rating, ranking score and probabilities. */
export function predictionOf(spec: LabelSpec, outputs: readonly number[]): Prediction {
  switch (spec.task) {
    case 'multi-label': {
      // Each label on its own: score and rankScore are the most likely label's probability.
      const probs = outputs.map((x) => 1 / (1 + Math.exp(-x)));
      const top = Math.max(...probs);
      return { score: top, rankScore: top, probabilities: probs };
    }
    case 'regression': {
      const rating = spec.scale.min + (outputs[0] as number) * (spec.scale.max - spec.scale.min);
      return { score: rating, rankScore: rating, probabilities: null };
    }
    case 'binary': {
      const p = 1 / (1 + Math.exp(-(outputs[0] as number)));
      return { score: p, rankScore: p, probabilities: null };
    }
    case 'classification': {
      const probs = softmax(outputs);
      let best = 0;
      let pPos = 0;
      probs.forEach((p, k) => {
        if (p > (probs[best] as number)) best = k;
        if ((spec.classes[k] as number) >= spec.threshold) pPos += p;
      });
      return { score: spec.classes[best] as number, rankScore: pPos, probabilities: probs };
    }
  }
}

function softmax(x: readonly number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Why a rating cannot be scored against a model with this spec (null: it can). */
export function unscorableReason(spec: LabelSpec, rating: number): string | null {
  if (spec.task === 'multi-label') return null;
  if (spec.task === 'classification' && !spec.classes.includes(rating))
    return `rating ${rating} is not one of the model's classes (${spec.classes.join(', ')})`;
  if (rating < spec.scale.min || rating > spec.scale.max)
    return `rating ${rating} is outside the model's scale ${spec.scale.min}–${spec.scale.max}`;
  return null;
}
