/**
 * Learning rate at optimizer step `step` (0-based): linear warmup from 0, then linear decay to 0 at
 * `totalSteps` — Hugging Face's get_linear_schedule_with_warmup.
 */
export function lrAt(step: number, peak: number, warmupSteps: number, totalSteps: number): number {
  if (step < warmupSteps) return (peak * step) / Math.max(1, warmupSteps);
  return peak * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
}

/** How a run's steps fall out: computed once, used by the trainer and the studio's learning-rate plot. */
export interface SchedulePlan {
  batchSize: number;
  /** Micro-batches per optimizer step (gradient accumulation). */
  microPerStep: number;
  microPerEpoch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  warmupSteps: number;
  /** Evaluate on validation every this many steps (and at the last step). */
  evalEvery: number;
  peakLearningRate: number;
}

export interface ScheduleSettings {
  batchSize: number;
  gradAccumulation: number;
  epochs: number;
  warmupRatio: number;
  evalsPerEpoch: number;
  learningRate: number;
}

/** The plan for `nTrain` training examples: ⌈⌈n / batch⌉ / accumulation⌉ steps per epoch. Pure. */
export function planSchedule(nTrain: number, s: ScheduleSettings): SchedulePlan {
  const microPerEpoch = Math.ceil(nTrain / s.batchSize);
  const stepsPerEpoch = Math.ceil(microPerEpoch / s.gradAccumulation);
  const totalSteps = stepsPerEpoch * s.epochs;
  return {
    batchSize: s.batchSize,
    microPerStep: s.gradAccumulation,
    microPerEpoch,
    stepsPerEpoch,
    totalSteps,
    warmupSteps: Math.round(totalSteps * s.warmupRatio),
    evalEvery: Math.max(1, Math.floor(stepsPerEpoch / s.evalsPerEpoch)),
    peakLearningRate: s.learningRate,
  };
}

/** The learning rate of optimizer step `step` (0-based) under the plan. */
export function planLr(plan: SchedulePlan, step: number): number {
  return lrAt(step, plan.peakLearningRate, plan.warmupSteps, plan.totalSteps);
}

/** Whether the validation set is evaluated after step `step` (1-based: the count of steps done). */
export function evaluatesAfter(plan: SchedulePlan, step: number): boolean {
  return step % plan.evalEvery === 0 || step === plan.totalSteps;
}

/** At most ~200 points of the schedule, always including the first and last step: the studio's plot. */
export function lrSeries(plan: SchedulePlan): Array<{ step: number; lr: number }> {
  if (plan.totalSteps <= 0) return [];
  const every = Math.max(1, Math.ceil(plan.totalSteps / 200));
  const out: Array<{ step: number; lr: number }> = [];
  for (let s = 0; s < plan.totalSteps; s += every) out.push({ step: s, lr: planLr(plan, s) });
  out.push({ step: plan.totalSteps, lr: planLr(plan, plan.totalSteps) });
  return out;
}
