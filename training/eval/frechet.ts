import { covarianceOf, meanOf, multiply, sqrtPsd, symmetricEigen, trace, type Matrix, type Vec } from './linalg';

export interface Gaussian {
  mean: Float64Array;
  cov: Matrix;
}

export function fitGaussian(rows: readonly Vec[]): Gaussian {
  const mean = meanOf(rows);
  return { mean, cov: covarianceOf(rows, mean) };
}

/**
 * Fréchet distance between two Gaussians, as FID computes it:
 *   |μ₁ − μ₂|² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁ Σ₂)^½.
 * tr (Σ₁ Σ₂)^½ is taken as Σ √λ of the symmetric PSD matrix Σ₁^½ Σ₂ Σ₁^½, which has the same
 * eigenvalues as Σ₁ Σ₂ and avoids the complex square roots scipy.linalg.sqrtm can return.
 */
export function frechetDistance(a: Gaussian, b: Gaussian): number {
  if (a.mean.length !== b.mean.length) throw new RangeError(`Fréchet distance needs equal dimensions, got ${a.mean.length} and ${b.mean.length}.`);
  let meanTerm = 0;
  for (let i = 0; i < a.mean.length; i++) meanTerm += (a.mean[i] - b.mean[i]) ** 2;
  const rootA = sqrtPsd(a.cov);
  const inner = multiply(multiply(rootA, b.cov), rootA);
  symmetrise(inner);
  const { values } = symmetricEigen(inner);
  let traceRoot = 0;
  for (const v of values) traceRoot += Math.sqrt(Math.max(0, v));
  // Tiny negative results are rounding; the distance of a set to itself is exactly 0.
  return Math.max(0, meanTerm + trace(a.cov) + trace(b.cov) - 2 * traceRoot);
}

/** Fréchet distance between the Gaussians fitted to two sets of feature vectors. */
export function frechetDistanceOfSets(a: readonly Vec[], b: readonly Vec[]): number {
  return frechetDistance(fitGaussian(a), fitGaussian(b));
}

function symmetrise(m: Matrix): void {
  const n = m.n;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const avg = (m.data[i * n + j] + m.data[j * n + i]) / 2;
      m.data[i * n + j] = avg;
      m.data[j * n + i] = avg;
    }
  }
}
