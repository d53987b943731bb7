import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantizeRows, transpose } from './quantize';

describe('quantizeRows: symmetric int8, one scale per row', () => {
  it('each value comes back within half a step of its row, and the largest is ±127', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 9 }),
        fc.infiniteStream(fc.float({ min: -50, max: 50, noNaN: true, noDefaultInfinity: true })),
        (rows, cols, values) => {
          const data = Float32Array.from(values.take(rows * cols));
          const { q, scales } = quantizeRows(data, rows, cols);
          for (let r = 0; r < rows; r++) {
            const row = Array.from(data.subarray(r * cols, (r + 1) * cols));
            const max = Math.max(...row.map(Math.abs));
            // A row whose float32 scale would be below 1e-30 (every |w| under about 1.27e-28) is stored as zeros.
            const zeroed = Math.fround(max / 127) < 1e-30;
            for (let c = 0; c < cols; c++) {
              const back = q[r * cols + c]! * scales[r]!;
              expect(Math.abs(back - row[c]!)).toBeLessThanOrEqual(zeroed ? 1.28e-28 : scales[r]! * 0.5001);
            }
            if (!zeroed)
              expect(Math.max(...Array.from(q.subarray(r * cols, (r + 1) * cols), Math.abs))).toBe(127);
          }
        },
      ),
    );
  });

  it('a row under the smallest scale is stored as zeros, one just over it keeps ±127 (a case a CI run found)', () => {
    const rows = new Float32Array([
      -1.817553766159108e-6, -2.037196608856614e-21, -1.1181656756501988e-28, 1.3e-28,
    ]);
    const { q, scales } = quantizeRows(rows, 4, 1);
    expect(Array.from(q)).toEqual([-127, -127, 0, 127]);
    expect(scales[2]).toBe(1);
  });

  it('a row of zeros gets scale 1 and stays zero', () => {
    const { q, scales } = quantizeRows(new Float32Array([0, 0, 0, 1, -2, 0.5]), 2, 3);
    expect(Array.from(scales)).toEqual([1, 2 / 127].map((s) => Math.fround(s)));
    expect(Array.from(q)).toEqual([0, 0, 0, 64, -127, 32]);
  });
});

describe('transpose', () => {
  it('[rows, cols] → [cols, rows]', () => {
    expect(Array.from(transpose(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
