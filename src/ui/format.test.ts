import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatProgress, largeFileAdvice, savedRunAdvice } from './format';

describe('format', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [17.6 * 1024 * 1024, '18 MB'],
    [5 * 1024 * 1024, '5.0 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])('formatBytes(%d) = %s', (n, s) => expect(formatBytes(n)).toBe(s));
  it('formatCount', () => {
    expect([formatCount(999), formatCount(4_385_920), formatCount(12_500)]).toEqual(['999', '4.4M', '12.5k']);
  });
  it('formatProgress', () => {
    expect(formatProgress(512, 1024)).toBe('512 B of 1.0 KB (50%)');
    expect(formatProgress(2048, null)).toBe('2.0 KB');
  });
});

describe('savedRunAdvice', () => {
  const saved = { dataFile: 'reviews.csv', baseModel: 'scratch' };
  it('asks for the model first, then the data; a file of another name is allowed but named', () => {
    expect(savedRunAdvice({ ...saved, baseModel: 'prajjwal1/bert-tiny' }, 'reviews.csv', null)).toEqual({
      text: 'Load prajjwal1/bert-tiny in step 2 (the model this run fine-tunes) to resume it.',
      blocking: true,
    });
    expect(savedRunAdvice({ ...saved, baseModel: 'm' }, 'reviews.csv', 'other')?.blocking).toBe(true);
    expect(savedRunAdvice(saved, null, null)).toEqual({
      text: 'Load reviews.csv in step 1 (the file this run was trained on) to resume it.',
      blocking: true,
    });
    expect(savedRunAdvice(saved, 'sample-reviews.csv', null)).toMatchObject({ blocking: false });
    expect(savedRunAdvice(saved, 'reviews.csv', null)).toBeNull();
    expect(savedRunAdvice({ ...saved, baseModel: 'm' }, 'reviews.csv', 'm')).toBeNull();
  });
});

describe('largeFileAdvice', () => {
  it('suggests a sample only for a large file with no row limit', () => {
    expect(largeFileAdvice(50_000, false)).toBeNull();
    expect(largeFileAdvice(1_000_000, true)).toBeNull();
    expect(largeFileAdvice(1_000_000, false)).toMatch(/^This file has 1,000,000 rows\. .*random sample/);
  });
});
