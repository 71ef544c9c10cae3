/** Mean and population standard deviation, the way AttnGAN reports R-precision over splits. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  if (!values.length) return { mean: NaN, std: NaN };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : NaN;
}

/** Splits indices 0..n-1 into k contiguous folds of near-equal size (k is capped at n). */
export function folds(n: number, k: number): number[][] {
  const count = Math.max(1, Math.min(k, n));
  const out: number[][] = [];
  for (let f = 0; f < count; f++) {
    const start = Math.floor((f * n) / count);
    const end = Math.floor(((f + 1) * n) / count);
    out.push(Array.from({ length: end - start }, (_, i) => start + i));
  }
  return out;
}
