import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatProgress } from './format';

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
