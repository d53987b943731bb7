import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { guessRoles } from './guess';
import { sampleCsv } from './sample';

describe('guessRoles', () => {
  it('finds review text, a second text and the rating in the sample data', () => {
    expect(guessRoles(parseCsv(sampleCsv(50), 's.csv'))).toEqual({
      text: 'review',
      pair: 'customer',
      label: 'rating',
    });
  });
  it('prefers a column named like a rating over other small-integer columns', () => {
    const csv =
      'id,Recommended IND,Rating,Title,Review Text\n' +
      Array.from(
        { length: 30 },
        (_, i) =>
          `${i},${i % 2},${(i % 5) + 1},Nice top ${i},"This top is lovely and fits well, number ${i}"`,
      ).join('\n');
    expect(guessRoles(parseCsv(csv, 'r.csv'))).toEqual({
      text: 'Review Text',
      pair: 'Title',
      label: 'Rating',
    });
  });
  it('returns nulls when nothing fits', () => {
    expect(guessRoles(parseCsv('a,b\nx,y\n', 'r.csv'))).toEqual({ text: 'a', pair: null, label: null });
  });
});
