import { seededRandom, shuffleInPlace } from '../data/split';
import { TabTuneError } from '../errors';
import type { TrainConfig } from '../train/config';

/*
 * What a settings search varies, and the settings of each trial. The learning rate matters most (one setting left
 * 0.09 validation AUC on a checkpoint unlike Google's), so its values are spread evenly over the log range — one
 * per stratum, in a seeded order — while the rest are drawn from short lists around the recipe's values.
 */

/** The settings a trial may change; the rest of the run's settings are the user's. */
export interface TrialSettings {
  learningRate: number;
  batchSize: number;
  warmupRatio: number;
  weightDecay: number;
  /** null: the model's own dropout. */
  dropout: number | null;
  /** The LoRA rank, for a LoRA run (alpha kept at 2 × r, PEFT's usual); null otherwise. */
  loraRank: number | null;
}

export interface SearchSpace {
  /** The learning rate's range, log-uniform: [low, high]. */
  learningRate: [number, number];
  batchSize: number[];
  warmupRatio: number[];
  weightDecay: number[];
  dropout: Array<number | null>;
  /** Empty for a run without LoRA. */
  loraRank: number[];
}

/**
 * The default space around a run's settings: the rate from a quarter of the recipe's to ten times it (1.6 decades:
 * the rate a miniature's recipe gives can be ten times too low for a weakly pretrained model), the batch size and
 * half of it, warmup 0 or 10 %, weight decay 0 or 0.01, the model's dropout or none, LoRA ranks 4, 8 and 16.
 */
export function defaultSpace(config: TrainConfig): SearchSpace {
  const half = Math.max(1, Math.round(config.batchSize / 2));
  return {
    learningRate: [config.learningRate / 4, config.learningRate * 10],
    batchSize: [...new Set([config.batchSize, half])],
    warmupRatio: [...new Set([config.warmupRatio, 0, 0.1])],
    weightDecay: [...new Set([config.weightDecay, 0, 0.01])],
    dropout: [...new Set([config.dropout, 0])],
    loraRank: config.lora ? [...new Set([config.lora.r, 4, 8, 16])] : [],
  };
}

/** The run's own settings as a trial's: the recipe's trial. */
export function settingsOf(config: TrainConfig): TrialSettings {
  return {
    learningRate: config.learningRate,
    batchSize: config.batchSize,
    warmupRatio: config.warmupRatio,
    weightDecay: config.weightDecay,
    dropout: config.dropout,
    loraRank: config.lora?.r ?? null,
  };
}

/** A run's settings with a trial's applied. */
export function withSettings(config: TrainConfig, s: TrialSettings): TrainConfig {
  return {
    ...config,
    learningRate: s.learningRate,
    batchSize: s.batchSize,
    warmupRatio: s.warmupRatio,
    weightDecay: s.weightDecay,
    dropout: s.dropout,
    lora:
      config.lora && s.loraRank !== null
        ? { ...config.lora, r: s.loraRank, alpha: 2 * s.loraRank }
        : config.lora,
  };
}

/** Rounds a rate to 2 significant digits (3.2e-4), so that a trial's settings read as a person would write them. */
const twoDigits = (x: number) => Number(x.toPrecision(2));

/**
 * `count` trials: the recipe's settings first, then — when given — the LR finder's suggested rate with the recipe's
 * other settings, then draws from the space. The drawn rates are spread one per equal slice of the log range (a
 * Latin hypercube on the rate), in a seeded order; the other settings are drawn with the same seed. Distinct: a draw
 * equal to an earlier trial is drawn again. Pure.
 */
export function trialSettings(
  base: TrialSettings,
  space: SearchSpace,
  count: number,
  seed: number,
  finderRate: number | null = null,
): TrialSettings[] {
  const key = (s: TrialSettings) => JSON.stringify(s);
  const trials = [base];
  if (finderRate !== null && count > 1) trials.push({ ...base, learningRate: twoDigits(finderRate) });
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const drawn = count - trials.length;
  const [low, high] = space.learningRate.map(Math.log) as [number, number];
  const slices = shuffleInPlace(
    Array.from({ length: Math.max(0, drawn) }, (_, i) => i),
    random,
  );
  for (let i = 0; i < drawn; i++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const u = ((slices[i] as number) + random()) / Math.max(1, drawn);
      const candidate: TrialSettings = {
        learningRate: twoDigits(Math.exp(low + u * (high - low))),
        batchSize: pick(space.batchSize),
        warmupRatio: pick(space.warmupRatio),
        weightDecay: pick(space.weightDecay),
        dropout: pick(space.dropout),
        loraRank: space.loraRank.length > 0 ? pick(space.loraRank) : base.loraRank,
      };
      if (!trials.some((t) => key(t) === key(candidate)) || attempt === 19) {
        trials.push(candidate);
        break;
      }
    }
  }
  return trials;
}

/** "lr 3.2e-4, batch 16, warmup 0.1, weight decay 0, dropout 0" (and "LoRA r 8"). Pure. */
export function describeSettings(s: TrialSettings): string {
  return [
    `lr ${s.learningRate.toPrecision(2)}`,
    `batch ${s.batchSize}`,
    `warmup ${s.warmupRatio}`,
    `weight decay ${s.weightDecay}`,
    `dropout ${s.dropout ?? "the model's"}`,
    ...(s.loraRank !== null ? [`LoRA r ${s.loraRank}`] : []),
  ].join(', ');
}

/** Refuses a space no trial could be drawn from, naming the part and what it takes. */
export function validateSpace(space: SearchSpace): SearchSpace {
  const bad = (what: string): never => {
    throw new TabTuneError('usage', `Search space: ${what}`);
  };
  const [low, high] = space.learningRate;
  if (!(low > 0 && high < 1 && low <= high))
    bad(`the learning rate's range must be > 0 and < 1, its start at most its end (got ${low} to ${high}).`);
  const list = <T>(name: string, xs: readonly T[], ok: (x: T) => boolean, rule: string) => {
    if (xs.length === 0) bad(`${name} needs at least one value.`);
    const wrong = xs.find((x) => !ok(x));
    if (wrong !== undefined) bad(`${name} must each be ${rule} (got ${String(wrong)}).`);
  };
  list('batch sizes', space.batchSize, (b) => Number.isInteger(b) && b >= 1, 'a whole number ≥ 1');
  list('warmup ratios', space.warmupRatio, (w) => w >= 0 && w < 1, '≥ 0 and < 1');
  list('weight decays', space.weightDecay, (w) => w >= 0 && w < 1, '≥ 0 and < 1');
  list('dropouts', space.dropout, (d) => d === null || (d >= 0 && d < 1), '≥ 0 and < 1, or the model’s own');
  if (space.loraRank.length > 0)
    list('LoRA ranks', space.loraRank, (r) => Number.isInteger(r) && r >= 1, 'a whole number ≥ 1');
  return space;
}
