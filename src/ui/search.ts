import { TabTuneError } from '../core/errors';
import { validateSpace, type SearchSpace } from '../core/search/space';
import type { TrialRecord } from '../core/search/trial';
import type { EvalPoint } from '../core/train/evaluate';

/*
 * A settings search as the studio shows it: its trials as they report, the validation AUC of each over its steps,
 * and the best so far. Pure, and built from the Worker's events.
 */

export interface SearchView {
  /** The trials that have trained, by index. */
  trials: TrialRecord[];
  /** Every validation AUC of every trial, in the order they came. */
  points: Array<{ trial: number; step: number; auc: number | null }>;
}

export const NO_SEARCH: SearchView = { trials: [], points: [] };

/** The view with a trial's newest record (a trial reports again after each rung). */
export function withTrial(view: SearchView, trial: TrialRecord): SearchView {
  const trials = view.trials.filter((t) => t.index !== trial.index);
  trials.push(trial);
  return { ...view, trials: trials.sort((a, b) => a.index - b.index) };
}

/** The view with one more validation evaluation of a trial. */
export function withEvaluation(view: SearchView, trial: number, point: EvalPoint): SearchView {
  return { ...view, points: [...view.points, { trial, step: point.step, auc: point.auc }] };
}

/** The trial with the best validation AUC at the highest rung any trial reached; ties to the earlier trial. */
export function bestSoFar(trials: readonly TrialRecord[]): TrialRecord | null {
  const top = Math.max(-1, ...trials.map((t) => t.rung));
  if (top < 0) return null;
  const at = (t: TrialRecord) => t.scores[top] ?? -Infinity;
  return trials
    .filter((t) => t.rung === top)
    .reduce<TrialRecord | null>((b, t) => (b && at(b) >= at(t) ? b : t), null);
}

/** One series per trial for the chart: { step, t0: auc, t3: auc, … } rows, merged by step. */
export function searchSeries(view: SearchView): Array<Record<string, number | null>> {
  const byStep = new Map<number, Record<string, number | null>>();
  for (const p of view.points) {
    const row = byStep.get(p.step) ?? { step: p.step };
    row[`t${p.trial}`] = p.auc;
    byStep.set(p.step, row);
  }
  return [...byStep.values()].sort((a, b) => (a.step as number) - (b.step as number));
}

/** A search space as the form edits it: each part as text ("32, 16"; a dropout may be "model"). */
export interface SpaceFields {
  lrFrom: string;
  lrTo: string;
  batchSizes: string;
  warmupRatios: string;
  weightDecays: string;
  dropouts: string;
  loraRanks: string;
}

const joined = (xs: ReadonlyArray<number | null>) =>
  xs.map((x) => (x === null ? 'model' : String(x))).join(', ');

export function spaceFields(space: SearchSpace): SpaceFields {
  return {
    lrFrom: String(Number(space.learningRate[0].toPrecision(2))),
    lrTo: String(Number(space.learningRate[1].toPrecision(2))),
    batchSizes: joined(space.batchSize),
    warmupRatios: joined(space.warmupRatio),
    weightDecays: joined(space.weightDecay),
    dropouts: joined(space.dropout),
    loraRanks: joined(space.loraRank),
  };
}

/** The space the form says, checked (validateSpace); a part that is not numbers is refused by name. */
export function parseSpace(f: SpaceFields): SearchSpace {
  const numbers = (text: string, name: string, model = false): Array<number | null> =>
    text
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map((p) => {
        if (model && p === 'model') return null;
        const n = Number(p);
        if (!Number.isFinite(n))
          throw new TabTuneError(
            'usage',
            `Search space: ${name} must be numbers separated by commas (got "${p}").`,
          );
        return n;
      });
  const one = (text: string, name: string) => {
    const [n] = numbers(text, name);
    if (n === undefined || n === null)
      throw new TabTuneError('usage', `Search space: ${name} needs a number.`);
    return n;
  };
  return validateSpace({
    learningRate: [one(f.lrFrom, 'the learning rate from'), one(f.lrTo, 'the learning rate to')],
    batchSize: numbers(f.batchSizes, 'batch sizes') as number[],
    warmupRatio: numbers(f.warmupRatios, 'warmup ratios') as number[],
    weightDecay: numbers(f.weightDecays, 'weight decays') as number[],
    dropout: numbers(f.dropouts, 'dropouts', true),
    loraRank: numbers(f.loraRanks, 'LoRA ranks') as number[],
  });
}
