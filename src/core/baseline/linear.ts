import type { Csr } from './tfidf';

/*
 * The L2-regularised linear models of the classical baseline, on sparse rows: ridge regression (scikit-learn's
 * `Ridge(alpha)`) solved by conjugate gradients, and logistic regression, binary and multinomial (scikit-learn's
 * `LogisticRegression(C)`, lbfgs), solved by L-BFGS. Intercepts are fitted and not penalised. Each objective is
 * strictly convex, so any solver that converges finds scikit-learn's solution; `classical.test.ts` checks it.
 */

/** Weights [k × cols] (one row per output) and k intercepts: output j of row x is x · W[j] + b[j]. */
export interface LinearModel {
  k: number;
  weights: Float64Array;
  intercepts: Float64Array;
}

/** X · Wᵀ + b → [rows × k], one plain sparse dot per row and output. */
export function linearOutputs(x: Csr, model: LinearModel): Float64Array {
  const { k, weights, intercepts } = model;
  const { indptr, indices, values } = x;
  const out = new Float64Array(x.rows * k);
  for (let j = 0; j < k; j++) {
    const w = weights.subarray(j * x.cols, (j + 1) * x.cols);
    for (let r = 0; r < x.rows; r++) {
      let acc = intercepts[j] as number;
      for (let p = indptr[r] as number; p < (indptr[r + 1] as number); p++) {
        acc += (values[p] as number) * (w[indices[p] as number] as number);
      }
      out[r * k + j] = acc;
    }
  }
  return out;
}

/** out += uᵀ · X for u [rows × k] → [k × cols]. */
function addTransposedProduct(x: Csr, u: Float64Array, k: number, out: Float64Array): void {
  const { indptr, indices, values } = x;
  for (let j = 0; j < k; j++) {
    const o = out.subarray(j * x.cols, (j + 1) * x.cols);
    for (let r = 0; r < x.rows; r++) {
      const ur = u[r * k + j] as number;
      for (let p = indptr[r] as number; p < (indptr[r + 1] as number); p++) {
        const c = indices[p] as number;
        o[c] = (o[c] as number) + (values[p] as number) * ur;
      }
    }
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Ridge: minimises ‖y − Xw − b‖² + α‖w‖². With b = ȳ − μ·w (μ: column means), w solves
 * (X_cᵀX_c + αI) w = X_cᵀ(y − ȳ) for the centred X_c = X − 1μᵀ, applied without forming X_c (X stays sparse).
 */
export function fitRidge(x: Csr, y: Float64Array, alpha: number, tolerance = 1e-7): LinearModel {
  const mu = new Float64Array(x.cols);
  addTransposedProduct(x, new Float64Array(x.rows).fill(1 / x.rows), 1, mu);
  const yMean = y.reduce((s, v) => s + v, 0) / x.rows;
  // X_cᵀ u = Xᵀ u − μ Σu, and Σu = 0 for u = X_c v: the centred product needs only X v − (μ·v).
  const apply = (v: Float64Array): Float64Array => {
    const xcv = linearOutputs(x, { k: 1, weights: v, intercepts: new Float64Array([-dot(mu, v)]) });
    const out = v.map((vi) => alpha * vi);
    addTransposedProduct(x, xcv, 1, out);
    return out;
  };
  const rhs = new Float64Array(x.cols);
  addTransposedProduct(
    x,
    y.map((v) => v - yMean),
    1,
    rhs,
  );
  const w = new Float64Array(x.cols);
  const r = rhs.slice();
  const d = r.slice();
  let rr = dot(r, r);
  const stop = tolerance * tolerance * rr;
  for (let it = 0; it < x.cols && rr > stop; it++) {
    const ad = apply(d);
    const step = rr / dot(d, ad);
    for (let c = 0; c < x.cols; c++) {
      w[c] = (w[c] as number) + step * (d[c] as number);
      r[c] = (r[c] as number) - step * (ad[c] as number);
    }
    const next = dot(r, r);
    for (let c = 0; c < x.cols; c++) d[c] = (r[c] as number) + (next / rr) * (d[c] as number);
    rr = next;
  }
  return { k: 1, weights: w, intercepts: new Float64Array([yMean - dot(mu, w)]) };
}

/**
 * Logistic regression: minimises C · Σ cross-entropy + ½‖W‖², divided by C·n (the same minimiser; the scale
 * scikit-learn ≥ 1.3 uses, so that its stopping rule means the same for any n). k = 1: binary (labels 0/1,
 * one logit); k ≥ 2: multinomial (labels are class indices). Parameters are W then b, one flat vector.
 */
export function fitLogistic(
  x: Csr,
  labels: Int32Array,
  k: number,
  c: number,
  stop: Partial<LbfgsStop> = {},
): LinearModel {
  const nw = x.cols * k;
  const split = (theta: Float64Array): LinearModel => ({
    k,
    weights: theta.subarray(0, nw),
    intercepts: theta.subarray(nw),
  });
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    const model = split(theta);
    const z = linearOutputs(x, model); // [rows × k]
    const { loss, residual } = k === 1 ? binaryLoss(z, labels) : multinomialLoss(z, labels, k);
    grad.fill(0);
    addTransposedProduct(x, residual, k, grad);
    const scale = 1 / (c * x.rows);
    let penalty = 0;
    for (let i = 0; i < nw; i++) {
      const wi = theta[i] as number;
      grad[i] = (c * (grad[i] as number) + wi) * scale;
      penalty += wi * wi;
    }
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let r = 0; r < x.rows; r++) s += residual[r * k + j] as number;
      grad[nw + j] = c * s * scale;
    }
    return (c * loss + penalty / 2) * scale;
  };
  return split(minimizeLbfgs(objective, new Float64Array(nw + k), stop));
}

/** Σ log(1 + e^{−s z}) for s = ±1, and its derivative in z (σ(z) − y). */
function binaryLoss(z: Float64Array, labels: Int32Array): { loss: number; residual: Float64Array } {
  let loss = 0;
  const residual = new Float64Array(z.length);
  z.forEach((zi, r) => {
    const t = labels[r] === 1 ? zi : -zi;
    loss += Math.max(-t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    residual[r] = 1 / (1 + Math.exp(-zi)) - (labels[r] as number);
  });
  return { loss, residual };
}

/** Σ (logsumexp(z) − z_y), and its derivative in z (softmax(z) − onehot(y)). */
function multinomialLoss(
  z: Float64Array,
  labels: Int32Array,
  k: number,
): { loss: number; residual: Float64Array } {
  let loss = 0;
  const residual = new Float64Array(z.length);
  for (let r = 0; r < labels.length; r++) {
    const row = r * k;
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, z[row + j] as number);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += residual[row + j] = Math.exp((z[row + j] as number) - m);
    const truth = row + (labels[r] as number);
    loss += m + Math.log(sum) - (z[truth] as number);
    for (let j = 0; j < k; j++) residual[row + j] = (residual[row + j] as number) / sum;
    residual[truth] = (residual[truth] as number) - 1;
  }
  return { loss, residual };
}

/** When L-BFGS stops; the defaults are scikit-learn's lbfgs with its default tol (SciPy's rule). */
export interface LbfgsStop {
  /** The largest gradient entry is at most this. */
  gradientTolerance: number;
  /** An iteration lowered f by at most this, relative to |f|. */
  relativeDecrease: number;
  maxIter: number;
}

const SKLEARN_STOP: LbfgsStop = {
  gradientTolerance: 1e-4,
  relativeDecrease: 2.220446049250313e-9,
  maxIter: 1000,
};

/** L-BFGS (memory 10) with a backtracking Armijo line search, from x0. */
export function minimizeLbfgs(
  f: (x: Float64Array, grad: Float64Array) => number,
  x0: Float64Array,
  stop: Partial<LbfgsStop> = {},
): Float64Array {
  const { gradientTolerance, relativeDecrease, maxIter } = { ...SKLEARN_STOP, ...stop };
  const memory: Array<{ s: Float64Array; y: Float64Array; rho: number }> = [];
  let x = x0.slice();
  let g = new Float64Array(x.length);
  let fx = f(x, g);
  for (let it = 0; it < maxIter; it++) {
    if (g.reduce((m, v) => Math.max(m, Math.abs(v)), 0) <= gradientTolerance) break;
    let d = direction(g, memory);
    let slope = dot(g, d);
    if (slope >= 0) {
      memory.length = 0;
      d = g.map((v) => -v);
      slope = dot(g, d);
    }
    let step = memory.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    const gNext = new Float64Array(x.length);
    let xNext = x;
    let fNext = fx;
    for (let tries = 0; tries < 60; tries++, step /= 2) {
      xNext = x.map((v, i) => v + step * (d[i] as number));
      fNext = f(xNext, gNext);
      if (fNext <= fx + 1e-4 * step * slope) break;
    }
    if (!(fNext < fx)) break;
    const s = xNext.map((v, i) => v - (x[i] as number));
    const y = gNext.map((v, i) => v - (g[i] as number));
    const sy = dot(s, y);
    if (sy > 1e-12) {
      memory.push({ s, y, rho: 1 / sy });
      if (memory.length > 10) memory.shift();
    }
    const relative = (fx - fNext) / Math.max(Math.abs(fx), Math.abs(fNext), 1);
    [x, g, fx] = [xNext, gNext, fNext];
    if (relative <= relativeDecrease) break;
  }
  return x;
}

/** The two-loop recursion: −H·g for the inverse Hessian H the memory approximates. */
function direction(
  g: Float64Array,
  memory: ReadonlyArray<{ s: Float64Array; y: Float64Array; rho: number }>,
): Float64Array {
  const q = g.slice();
  const alphas: number[] = [];
  for (let i = memory.length - 1; i >= 0; i--) {
    const { s, y, rho } = memory[i]!;
    const a = rho * dot(s, q);
    alphas[i] = a;
    for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) - a * (y[j] as number);
  }
  const last = memory.at(-1);
  const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1;
  for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) * gamma;
  for (let i = 0; i < memory.length; i++) {
    const { s, y, rho } = memory[i]!;
    const b = rho * dot(y, q);
    for (let j = 0; j < q.length; j++)
      q[j] = (q[j] as number) + ((alphas[i] as number) - b) * (s[j] as number);
  }
  return q.map((v) => -v);
}
