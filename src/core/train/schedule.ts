/**
 * Learning rate at optimizer step `step` (0-based): linear warmup from 0, then linear decay to 0 at
 * `totalSteps` — Hugging Face's get_linear_schedule_with_warmup.
 */
export function lrAt(step: number, peak: number, warmupSteps: number, totalSteps: number): number {
  if (step < warmupSteps) return (peak * step) / Math.max(1, warmupSteps);
  return peak * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
}
