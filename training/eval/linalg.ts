/**
 * Small dense linear algebra in float64 for the Fréchet distance: means, covariances and the
 * eigen-decomposition of symmetric matrices (cyclic Jacobi). Dimensions here are the evaluator's
 * embedding size (≤ a few hundred), so O(d³) in plain TypeScript is fast enough and has no
 * backend-dependent rounding, which keeps the metric deterministic.
 */
export type Vec = ArrayLike<number>;

/** Square matrix stored row-major. */
export interface Matrix {
  n: number;
  data: Float64Array; // [n, n]
}

export function meanOf(rows: readonly Vec[]): Float64Array {
  if (!rows.length) throw new RangeError('meanOf needs at least one row.');
  const d = rows[0].length;
  const mu = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mu[j] += r[j];
  for (let j = 0; j < d; j++) mu[j] /= rows.length;
  return mu;
}

/** Unbiased sample covariance (n − 1 denominator, as numpy.cov and the FID reference use). */
export function covarianceOf(rows: readonly Vec[], mu = meanOf(rows)): Matrix {
  const d = mu.length;
  const data = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (const r of rows) {
    for (let j = 0; j < d; j++) centred[j] = r[j] - mu[j];
    for (let a = 0; a < d; a++) {
      const ca = centred[a];
      if (ca === 0) continue;
      for (let b = a; b < d; b++) data[a * d + b] += ca * centred[b];
    }
  }
  const denom = Math.max(1, rows.length - 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      data[a * d + b] /= denom;
      data[b * d + a] = data[a * d + b];
    }
  }
  return { n: d, data };
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  const n = a.n;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a.data[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b.data[k * n + j];
    }
  }
  return { n, data: out };
}

export function trace(m: Matrix): number {
  let t = 0;
  for (let i = 0; i < m.n; i++) t += m.data[i * m.n + i];
  return t;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations.
 * vectors is row-major with eigenvector k in column k.
 */
export function symmetricEigen(m: Matrix, tolerance = 1e-12, maxSweeps = 60): { values: Float64Array; vectors: Matrix } {
  const n = m.n;
  const a = Float64Array.from(m.data);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const scale = Math.max(1e-300, frobenius(a));
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    if (offDiagonal(a, n) <= tolerance * scale) break;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: { n, data: v } };
}

function frobenius(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x * x;
  return Math.sqrt(s);
}

function offDiagonal(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += a[i * n + j] ** 2;
  return Math.sqrt(s);
}

/** One Jacobi rotation zeroing a[p][q] (Numerical Recipes' stable form). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q];
  if (Math.abs(apq) < 1e-300) return;
  const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p];
    const akq = a[k * n + q];
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k];
    const aqk = a[q * n + k];
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p];
    const vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

/** Principal square root of a symmetric positive semi-definite matrix (negative rounding → 0). */
export function sqrtPsd(m: Matrix): Matrix {
  const { values, vectors } = symmetricEigen(m);
  const n = m.n;
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const root = Math.sqrt(Math.max(0, values[k]));
    if (root === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors.data[i * n + k] * root;
      for (let j = 0; j < n; j++) out[i * n + j] += vik * vectors.data[j * n + k];
    }
  }
  return { n, data: out };
}
