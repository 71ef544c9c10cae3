/**
 * How much of the caption can reach G_0 through Conditioning Augmentation (AttnGAN eq. 3):
 * c = μ(ĉ) + σ(ĉ) ⊙ ε. Per dimension, the expression's part of μ is a signal of variance
 * var_e(E[μ | e]) sent through Gaussian noise of variance E[σ²]; a Gaussian channel carries at most
 * ½ log(1 + signal / noise) nats, summed over independent dimensions. It is an upper bound (the
 * signal is not Gaussian, G_0 is no ideal decoder); compare it with log2(#expressions).
 * Pure TypeScript: plain arrays in, numbers out.
 */

export interface ChannelBound {
  nats: number;
  bits: number;
  /** Per dimension: between-expression variance of μ, mean σ². */
  dims: { signal: number; noise: number }[];
}

/** Mean of the rows grouped by `labels`, which must use every index 0..K−1. [N, D] → [K, D]. */
function classMeans(rows: number[][], labels: number[]): number[][] {
  const k = Math.max(...labels) + 1;
  const sums = Array.from({ length: k }, () => new Array<number>(rows[0].length).fill(0));
  const counts = new Array<number>(k).fill(0);
  rows.forEach((r, i) => {
    counts[labels[i]]++;
    r.forEach((x, j) => (sums[labels[i]][j] += x));
  });
  if (counts.some((n) => n === 0)) throw new RangeError(`labels must use every index 0..${k - 1}`);
  return sums.map((s, c) => s.map((x) => x / counts[c]));
}

/** mu, logvar: [N, K] (one row per caption), labels: [N] expression index. */
export function caChannelBound(mu: number[][], logvar: number[][], labels: number[]): ChannelBound {
  const means = classMeans(mu, labels); // [E, K]
  const dims = mu[0].map((_, j) => {
    const m = means.map((r) => r[j]);
    const grand = m.reduce((a, b) => a + b, 0) / m.length;
    const signal = m.reduce((a, b) => a + (b - grand) ** 2, 0) / m.length;
    const noise = logvar.reduce((a, r) => a + Math.exp(r[j]), 0) / logvar.length;
    return { signal, noise };
  });
  const nats = dims.reduce((a, { signal, noise }) => a + 0.5 * Math.log(1 + signal / noise), 0);
  return { nats, bits: nats / Math.LN2, dims };
}

const unit = (v: number[]) => {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
};

/** Fraction of rows whose nearest expression centroid (cosine) is their own expression's. */
export function nearestCentroidAccuracy(rows: number[][], labels: number[]): number {
  const centroids = classMeans(rows, labels).map(unit);
  let hits = 0;
  rows.forEach((r, i) => {
    const u = unit(r);
    let best = -Infinity;
    let arg = -1;
    centroids.forEach((c, k) => {
      const s = c.reduce((a, x, j) => a + x * u[j], 0);
      if (s > best) [best, arg] = [s, k];
    });
    if (arg === labels[i]) hits++;
  });
  return hits / rows.length;
}
