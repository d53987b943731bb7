import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../core/audit/report';
import {
  countAbove,
  decisionOf,
  describeChanges,
  excludeAbove,
  relabelChoices,
  STUDIO_SOURCE,
  withDecision,
} from './audit';

const spec = { task: 'regression' as const, scale: { min: 1, max: 5 }, threshold: 4, classes: [] };
const report = {
  all: [
    { line: 2, given: 1, suggested: 5, suspicion: 0.999 },
    { line: 3, given: 5, suggested: 1, suspicion: 0.97 },
    { line: 4, given: 4, suggested: 4, suspicion: 0.2 },
  ],
} as AuditReport;

describe('the studio’s audit decisions', () => {
  it('keeps one decision per line, and forgets the changes when none is left', () => {
    let c = withDecision(null, { line: 2, given: 1 }, 'exclude');
    expect(c).toEqual({ source: STUDIO_SOURCE, exclude: [{ line: 2, given: 1 }], relabel: [] });
    expect(decisionOf(c, 2)).toBe('exclude');
    c = withDecision(c, { line: 2, given: 1 }, { relabel: 5 });
    expect(decisionOf(c, 2)).toEqual({ relabel: 5 });
    expect(c!.exclude).toEqual([]);
    // Relabelling to the given rating is keeping it.
    expect(withDecision(c, { line: 2, given: 1 }, { relabel: 1 })).toBeNull();
    expect(withDecision(c, { line: 2, given: 1 }, 'keep')).toBeNull();
    expect(decisionOf(null, 7)).toBe('keep');
  });

  it('excludes every row at or above a cut, beside the decisions made', () => {
    expect(countAbove(report, 0.97)).toBe(2);
    const c = excludeAbove(withDecision(null, { line: 4, given: 4 }, { relabel: 3 }), report, 0.97);
    expect(c!.exclude.map((e) => e.line)).toEqual([2, 3]);
    expect(c!.relabel).toEqual([{ line: 4, given: 4, rating: 3 }]);
    expect(excludeAbove(null, report, 1)).toBeNull();
  });

  it('offers the suggested rating first, then the scale’s others, never the given one', () => {
    expect(relabelChoices(spec, 1, 5)).toEqual([5, 2, 3, 4]);
    expect(relabelChoices({ ...spec, scale: { min: 0, max: 1 } }, 0, 1)).toEqual([1]);
    expect(relabelChoices({ ...spec, scale: { min: 0, max: 100 } }, 10, 70)).toEqual([70]);
  });

  it('says what the next run does', () => {
    const c = withDecision(
      withDecision(null, { line: 2, given: 1 }, 'exclude'),
      { line: 3, given: 5 },
      { relabel: 1 },
    );
    expect(describeChanges(c)).toBe(
      "The next run leaves out 1 row and relabels 1 of its training and validation rows (the studio's label audit); its test rows stay as they are, so that it compares with the run before.",
    );
    expect(describeChanges(null)).toBeNull();
  });
});
