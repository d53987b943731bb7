import { describe, expect, it } from 'vitest';
import { linearOutputs, sparseProduct, transposeCsr } from './linearModels';
import type { Csr } from './tfidf';

// The sparse product (X · W, and Xᵀ · U as the product on Xᵀ) takes outputs four at a time, then one at a time: every k from 1 to 9 crosses each mix of
// the two (k = 5 alone is what the scikit-learn goldens reach). The reference is the dense product, written plainly.
function randomCsr(rows: number, cols: number, seed: number): { x: Csr; dense: number[][] } {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const dense = Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => (rand() < 0.3 ? rand() - 0.5 : 0)),
  );
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of dense) {
    row.forEach((v, c) => v !== 0 && (indices.push(c), values.push(v)));
    indptr.push(indices.length);
  }
  const x = {
    rows,
    cols,
    indptr: Int32Array.from(indptr),
    indices: Int32Array.from(indices),
    values: Float64Array.from(values),
  };
  return { x, dense };
}

describe('sparse products', () => {
  const { x, dense } = randomCsr(7, 11, 3);
  for (let k = 1; k <= 9; k++) {
    it(`X · W + b and Xᵀ · u equal the dense products for k = ${k}`, () => {
      const weights = Float64Array.from({ length: x.cols * k }, (_, i) => Math.sin(i + 1));
      const intercepts = Float64Array.from({ length: k }, (_, j) => j - 1.5);
      const out = linearOutputs(x, { k, weights, intercepts });
      const u = Float64Array.from({ length: x.rows * k }, (_, i) => Math.cos(i));
      const grad = new Float64Array(x.cols * k + 2).fill(0.25); // it overwrites the first cols × k only
      sparseProduct(transposeCsr(x), u, k, grad);
      for (let r = 0; r < x.rows; r++) {
        for (let j = 0; j < k; j++) {
          const want = dense[r]!.reduce((acc, v, c) => acc + v * weights[c * k + j]!, intercepts[j]!);
          expect(out[r * k + j]).toBeCloseTo(want, 12);
        }
      }
      for (let c = 0; c < x.cols; c++) {
        for (let j = 0; j < k; j++) {
          const want = dense.reduce((acc, row, r) => acc + row[c]! * u[r * k + j]!, 0);
          expect(grad[c * k + j]).toBeCloseTo(want, 12);
        }
      }
      expect([...grad.subarray(x.cols * k)]).toEqual([0.25, 0.25]);
    });
  }
});
