import type { Csr } from './tfidf';

/*
 * The L2-regularised linear models of the classical baseline, on sparse rows: ridge regression (scikit-learn's
 * `Ridge(alpha)`) solved by conjugate gradients, and logistic regression, binary and multinomial (scikit-learn's
 * `LogisticRegression(C)`, lbfgs), solved by L-BFGS. Intercepts are fitted and not penalised. Each objective is
 * strictly convex, so any solver that converges finds scikit-learn's solution; `classical.test.ts` checks it.
 */

/**
 * Weights [cols × k] (feature-major: the k weights of one feature side by side) and k intercepts: output j of
 * row x is Σ_c x_c · W[c·k + j] + b[j].
 */
export interface LinearModel {
  k: number;
  weights: Float64Array;
  intercepts: Float64Array;
}

/*
 * One sparse product serves both directions: X · W for the outputs, and Xᵀ · U for the gradients as the same
 * product on Xᵀ (`transposeCsr`, made once per fit): gathering from U ([rows × k], small enough for the cache)
 * measured faster than scattering into the [cols × k] gradient. It takes the outputs four at a time, then one at a
 * time, with the running sums in locals: V8 keeps a generic inner loop over k in memory, and on 18,000 reviews
 * with k = 5 that measured 2–3× slower (scripts/bench-baseline.ts times the whole fit).
 */

/** X · W + b → [rows × k]. */
export function linearOutputs(x: Csr, model: LinearModel): Float64Array {
  const { k, intercepts } = model;
  const out = new Float64Array(x.rows * k);
  sparseProduct(x, model.weights, k, out);
  for (let r = 0; r < x.rows; r++) {
    for (let j = 0; j < k; j++) out[r * k + j] = (out[r * k + j] as number) + (intercepts[j] as number);
  }
  return out;
}

/** out = X · W for W [cols × k] → [rows × k]. */
export function sparseProduct(x: Csr, w: Float64Array, k: number, out: Float64Array): void {
  let j = 0;
  for (; j + 4 <= k; j += 4) productFour(x, w, k, j, out);
  for (; j < k; j++) productOne(x, w, k, j, out);
}

/** Outputs j..j+3 of X · W. */
function productFour(x: Csr, w: Float64Array, k: number, j: number, out: Float64Array): void {
  const { indptr, indices, values } = x;
  for (let r = 0; r < x.rows; r++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let p = indptr[r] as number, end = indptr[r + 1] as number; p < end; p++) {
      const v = values[p] as number;
      const c = (indices[p] as number) * k + j;
      a0 += v * (w[c] as number);
      a1 += v * (w[c + 1] as number);
      a2 += v * (w[c + 2] as number);
      a3 += v * (w[c + 3] as number);
    }
    const o = r * k + j;
    out[o] = a0;
    out[o + 1] = a1;
    out[o + 2] = a2;
    out[o + 3] = a3;
  }
}

/** Output j of X · W. */
function productOne(x: Csr, w: Float64Array, k: number, j: number, out: Float64Array): void {
  const { indptr, indices, values } = x;
  for (let r = 0; r < x.rows; r++) {
    let a = 0;
    for (let p = indptr[r] as number, end = indptr[r + 1] as number; p < end; p++) {
      a += (values[p] as number) * (w[(indices[p] as number) * k + j] as number);
    }
    out[r * k + j] = a;
  }
}

/** Xᵀ in compressed rows (a counting sort by column; each row's entries stay in ascending order). */
export function transposeCsr(x: Csr): Csr {
  const { indptr, indices, values } = x;
  const counts = new Int32Array(x.cols + 1);
  for (let p = 0; p < indices.length; p++) {
    const c = (indices[p] as number) + 1;
    counts[c] = (counts[c] as number) + 1;
  }
  for (let c = 0; c < x.cols; c++) counts[c + 1] = (counts[c + 1] as number) + (counts[c] as number);
  const tIndptr = counts.slice();
  const tIndices = new Int32Array(indices.length);
  const tValues = new Float64Array(indices.length);
  for (let r = 0; r < x.rows; r++) {
    for (let p = indptr[r] as number; p < (indptr[r + 1] as number); p++) {
      const c = indices[p] as number;
      const at = counts[c] as number;
      counts[c] = at + 1;
      tIndices[at] = r;
      tValues[at] = values[p] as number;
    }
  }
  return { rows: x.cols, cols: x.rows, indptr: tIndptr, indices: tIndices, values: tValues };
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
  const xt = transposeCsr(x);
  const mu = new Float64Array(x.cols);
  sparseProduct(xt, new Float64Array(x.rows).fill(1 / x.rows), 1, mu);
  const yMean = y.reduce((s, v) => s + v, 0) / x.rows;
  // X_cᵀ u = Xᵀ u − μ Σu, and Σu = 0 for u = X_c v: the centred product needs only X v − (μ·v).
  const apply = (v: Float64Array): Float64Array => {
    const xcv = linearOutputs(x, { k: 1, weights: v, intercepts: new Float64Array([-dot(mu, v)]) });
    const out = new Float64Array(x.cols);
    sparseProduct(xt, xcv, 1, out);
    for (let c = 0; c < x.cols; c++) out[c] = (out[c] as number) + alpha * (v[c] as number);
    return out;
  };
  const rhs = new Float64Array(x.cols);
  sparseProduct(
    xt,
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
  const xt = transposeCsr(x);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    const model = split(theta);
    const z = linearOutputs(x, model); // [rows × k]
    const { loss, residual } = k === 1 ? binaryLoss(z, labels) : multinomialLoss(z, labels, k);
    sparseProduct(xt, residual, k, grad); // Xᵀ · residual into the weights' part of grad
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

interface Pair {
  s: Float64Array;
  y: Float64Array;
  rho: number;
}

/**
 * L-BFGS (memory 10) with a backtracking Armijo line search, from x0. Plain loops over preallocated buffers: on
 * 400,000 parameters, TypedArray `map` and fresh arrays per iteration cost more than the objective.
 */
export function minimizeLbfgs(
  f: (x: Float64Array, grad: Float64Array) => number,
  x0: Float64Array,
  stop: Partial<LbfgsStop> = {},
): Float64Array {
  const { gradientTolerance, relativeDecrease, maxIter } = { ...SKLEARN_STOP, ...stop };
  const n = x0.length;
  const memory: Pair[] = [];
  let x = x0.slice();
  let g = new Float64Array(n);
  let xNext = new Float64Array(n);
  let gNext = new Float64Array(n);
  const d = new Float64Array(n);
  let fx = f(x, g);
  for (let it = 0; it < maxIter && maxAbs(g) > gradientTolerance; it++) {
    direction(g, memory, d);
    let slope = dot(g, d);
    if (slope >= 0) {
      memory.length = 0;
      direction(g, memory, d);
      slope = dot(g, d);
    }
    let step = memory.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let fNext = fx;
    for (let tries = 0; tries < 60; tries++, step /= 2) {
      for (let i = 0; i < n; i++) xNext[i] = (x[i] as number) + step * (d[i] as number);
      fNext = f(xNext, gNext);
      if (fNext <= fx + 1e-4 * step * slope) break;
    }
    if (!(fNext < fx)) break;
    const pair =
      memory.length === 10 ? memory.shift()! : { s: new Float64Array(n), y: new Float64Array(n), rho: 0 };
    for (let i = 0; i < n; i++) {
      pair.s[i] = (xNext[i] as number) - (x[i] as number);
      pair.y[i] = (gNext[i] as number) - (g[i] as number);
    }
    const sy = dot(pair.s, pair.y);
    if (sy > 1e-12) {
      pair.rho = 1 / sy;
      memory.push(pair);
    }
    const relative = (fx - fNext) / Math.max(Math.abs(fx), Math.abs(fNext), 1);
    [x, xNext, g, gNext, fx] = [xNext, x, gNext, g, fNext];
    if (relative <= relativeDecrease) break;
  }
  return x;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/**
 * The two-loop recursion: d = −H·g for the inverse Hessian H the memory approximates (−g when it is empty). Each
 * update of d also takes the dot product the next step needs, so d streams through memory once per pair and loop.
 */
function direction(g: Float64Array, memory: readonly Pair[], d: Float64Array): void {
  const m = memory.length;
  d.set(g);
  const alphas = new Float64Array(m);
  // First loop, newest to oldest: α_i = ρ_i s_i·q, then q −= α_i y_i.
  let next = m > 0 ? dot(memory[m - 1]!.s, d) : 0;
  for (let i = m - 1; i >= 0; i--) {
    alphas[i] = memory[i]!.rho * next;
    next = addScaledThenDot(d, -alphas[i]!, memory[i]!.y, i > 0 ? memory[i - 1]!.s : null);
  }
  const last = memory.at(-1);
  const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1;
  // d = −γ·q from here on; the second loop, oldest to newest, runs on −q: q += (α_i − β_i) s_i with β_i = ρ_i y_i·q.
  next = scaleThenDot(d, -gamma, m > 0 ? memory[0]!.y : null);
  for (let i = 0; i < m; i++) {
    const beta = -memory[i]!.rho * next;
    next = addScaledThenDot(d, -(alphas[i]! - beta), memory[i]!.s, i + 1 < m ? memory[i + 1]!.y : null);
  }
}

/** v += a·u, then returns w·v (0 without w). */
function addScaledThenDot(v: Float64Array, a: number, u: Float64Array, w: Float64Array | null): number {
  let acc = 0;
  if (w === null) {
    for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) + a * (u[j] as number);
    return 0;
  }
  for (let j = 0; j < v.length; j++) {
    const vj = (v[j] as number) + a * (u[j] as number);
    v[j] = vj;
    acc += (w[j] as number) * vj;
  }
  return acc;
}

/** v *= a, then returns w·v (0 without w). */
function scaleThenDot(v: Float64Array, a: number, w: Float64Array | null): number {
  let acc = 0;
  for (let j = 0; j < v.length; j++) {
    const vj = (v[j] as number) * a;
    v[j] = vj;
    if (w !== null) acc += (w[j] as number) * vj;
  }
  return acc;
}
