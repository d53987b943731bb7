import { describe, expect, it } from 'vitest';
import type { ColumnRoles } from '../core/data/dataset';
import {
  describeLabels,
  labelChoiceOf,
  labelsChosen,
  taskForRoles,
  withLabelChoice,
  type LabelChoice,
} from './labelChoice';

const roles: ColumnRoles = { text: 'review', pair: null, label: 'rating' };

describe('the Data step’s choice of what to predict', () => {
  it('round-trips each choice through the roles', () => {
    const choices: LabelChoice[] = [
      { kind: 'rating', column: 'rating' },
      { kind: 'columns', columns: ['liked', 'dress'] },
      { kind: 'tags', column: 'tags', separator: '|' },
    ];
    for (const choice of choices) expect(labelChoiceOf(withLabelChoice(roles, choice))).toEqual(choice);
    expect(withLabelChoice(roles, { kind: 'columns', columns: ['liked', 'dress'] })).toMatchObject({
      label: 'liked',
      labelSeparator: null,
    });
  });

  it('says what a run predicts', () => {
    expect(describeLabels(roles)).toBe('rating “rating”');
    expect(describeLabels(withLabelChoice(roles, { kind: 'columns', columns: ['liked', 'dress'] }))).toBe(
      'labels “liked”, “dress” (0/1)',
    );
    expect(describeLabels(withLabelChoice(roles, { kind: 'tags', column: 'tags', separator: ';' }))).toBe(
      'the tags in “tags” (split on “;”)',
    );
  });

  it('reads rows once a column, or two 0/1 columns, are chosen', () => {
    expect(labelsChosen(roles)).toBe(true);
    expect(labelsChosen({ ...roles, label: '' })).toBe(false);
    expect(labelsChosen(withLabelChoice(roles, { kind: 'columns', columns: ['liked'] }))).toBe(false);
    expect(labelsChosen(withLabelChoice(roles, { kind: 'columns', columns: ['liked', 'dress'] }))).toBe(true);
    expect(labelsChosen(null)).toBe(false);
  });

  it('sets the multi-label task for several labels, and back to regression when a rating is chosen again', () => {
    const tags = withLabelChoice(roles, { kind: 'tags', column: 'tags', separator: ';' });
    expect(taskForRoles(tags, 'binary')).toBe('multi-label');
    expect(taskForRoles(roles, 'multi-label')).toBe('regression');
    expect(taskForRoles(roles, 'classification')).toBe('classification');
  });
});
