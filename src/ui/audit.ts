import type { LabelChanges } from '../core/audit/changes';
import type { AuditReport } from '../core/audit/report';
import type { LabelSpec } from '../core/data/labels';

/*
 * The label audit's decisions as the studio makes them, pure: each row kept, excluded or relabelled, held in the run's
 * settings (`TrainConfig.labelChanges`) so that the next run applies them and its record says so.
 */

export const STUDIO_SOURCE = "the studio's label audit";

export type Decision = 'keep' | 'exclude' | { relabel: number };

/** What was decided for a line. */
export function decisionOf(changes: LabelChanges | null, line: number): Decision {
  if (changes?.exclude.some((c) => c.line === line)) return 'exclude';
  const r = changes?.relabel.find((c) => c.line === line);
  return r ? { relabel: r.rating } : 'keep';
}

/** The changes with one row's decision replaced; null when nothing is left to change. */
export function withDecision(
  changes: LabelChanges | null,
  row: { line: number; given: number },
  decision: Decision,
): LabelChanges | null {
  const exclude = (changes?.exclude ?? []).filter((c) => c.line !== row.line);
  const relabel = (changes?.relabel ?? []).filter((c) => c.line !== row.line);
  if (decision === 'exclude') exclude.push({ line: row.line, given: row.given });
  else if (decision !== 'keep' && decision.relabel !== row.given)
    relabel.push({ line: row.line, given: row.given, rating: decision.relabel });
  return exclude.length + relabel.length === 0 ? null : { source: STUDIO_SOURCE, exclude, relabel };
}

/** Every row at or above the cut excluded (their relabels replaced), beside the decisions made so far. */
export function excludeAbove(
  changes: LabelChanges | null,
  report: AuditReport,
  cut: number,
): LabelChanges | null {
  let next = changes;
  for (const row of report.all) if (row.suspicion >= cut) next = withDecision(next, row, 'exclude');
  return next;
}

export function countAbove(report: AuditReport, cut: number): number {
  return report.all.filter((r) => r.suspicion >= cut).length;
}

/** The ratings a row can be relabelled to: the suggested one first, then the scale's other whole ratings. */
export function relabelChoices(spec: LabelSpec, given: number, suggested: number): number[] {
  const whole =
    Number.isInteger(spec.scale.min) &&
    Number.isInteger(spec.scale.max) &&
    spec.scale.max - spec.scale.min <= 10;
  const scale = whole
    ? Array.from({ length: spec.scale.max - spec.scale.min + 1 }, (_, k) => spec.scale.min + k)
    : [];
  return [...new Set([suggested, ...scale])].filter((r) => r !== given);
}

/** "The next run leaves out 12 rows and relabels 3 of its training and validation rows (…); its test rows stay …" */
export function describeChanges(changes: LabelChanges | null): string | null {
  if (!changes) return null;
  const [x, r] = [changes.exclude.length, changes.relabel.length];
  const parts = [
    ...(x > 0 ? [`leaves out ${x} row${x === 1 ? '' : 's'}`] : []),
    ...(r > 0 ? [`relabels ${r}`] : []),
  ];
  return `The next run ${parts.join(' and ')} of its training and validation rows (${changes.source}); its test rows stay as they are, so that it compares with the run before.`;
}
