import type { Vec } from './linalg';
import { folds, meanStd } from './stats';

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function cosine(a: Vec, b: Vec): number {
  const n = Math.sqrt(dot(a, a) * dot(b, b));
  return n > 0 ? dot(a, b) / n : 0;
}

export function euclidean(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** One R-precision query: an image embedding and its candidate captions, the true one first. */
export interface RetrievalQuery {
  image: Vec;
  /** candidates[0] is the true caption's embedding; the rest are mismatched (99 in AttnGAN). */
  candidates: Vec[];
}

export interface SplitScore {
  mean: number;
  std: number;
  splits: number[];
  n: number;
}

/**
 * True when the true caption strictly beats every mismatched one by cosine similarity
 * (AttnGAN's R-precision with R = 1). Ties count as misses so a constant encoder scores 0.
 */
export function isTopOne(q: RetrievalQuery): boolean {
  const truth = cosine(q.image, q.candidates[0]);
  for (let i = 1; i < q.candidates.length; i++) if (cosine(q.image, q.candidates[i]) >= truth) return false;
  return true;
}

/** R-precision (top-1 of 1 true + N mismatched), as mean ± std of the accuracy over `splitCount` folds. */
export function rPrecision(queries: readonly RetrievalQuery[], splitCount: number): SplitScore {
  return rPrecisionOverMembers([queries], splitCount).score;
}

/**
 * R-precision over several evaluators (members) that rank the same queries: each query's hit rate
 * over the members, then mean ± std over folds, so the mean is the members' mean R-precision.
 * byMember: each member's own R-precision. members: [member][query].
 */
export function rPrecisionOverMembers(members: readonly (readonly RetrievalQuery[])[], splitCount: number): { score: SplitScore; byMember: number[] } {
  const hits = members.map((queries) => queries.map((q): number => (isTopOne(q) ? 1 : 0)));
  const byMember = hits.map((h) => (h.length ? h.reduce((a, b) => a + b, 0) / h.length : NaN));
  const perQuery = (hits[0] ?? []).map((_, i) => hits.reduce((s, h) => s + h[i], 0) / hits.length);
  return { score: scoreOverSplits(perQuery, splitCount), byMember };
}

/** Mean ± std over folds of a per-item 0/1 (or real) score. */
export function scoreOverSplits(values: readonly number[], splitCount: number): SplitScore {
  if (!values.length) return { mean: NaN, std: NaN, splits: [], n: 0 };
  const splits = folds(values.length, splitCount).map((f) => f.reduce((s, i) => s + values[i], 0) / f.length);
  return { ...meanStd(splits), splits, n: values.length };
}

/** Indices of the k largest scores, best first (ties keep the lower index first). */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
}

/** Fraction of rows whose label is among the top k scores. */
export function topKAccuracy(scores: readonly ArrayLike<number>[], labels: readonly number[], k: number): number {
  if (!scores.length) return NaN;
  let hits = 0;
  scores.forEach((s, i) => {
    if (topK(s, k).includes(labels[i])) hits++;
  });
  return hits / scores.length;
}

/** Mean Euclidean distance over all unordered pairs; 0 for fewer than two vectors. */
export function meanPairwiseDistance(vectors: readonly Vec[]): number {
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      total += euclidean(vectors[i], vectors[j]);
      pairs++;
    }
  }
  return pairs ? total / pairs : 0;
}

/** Root-mean-square difference of two [-1, 1] images, reported on a 0..1 intensity scale. */
export function pixelRmse(a: Vec, b: Vec): number {
  if (a.length !== b.length) throw new RangeError(`pixelRmse needs equal sizes, got ${a.length} and ${b.length}.`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] - b[i]) / 2) ** 2;
  return Math.sqrt(s / a.length);
}

/** Share of `ok` per key (e.g. template fidelity per requested template), with the count behind each share. */
export function rateByKey(keys: readonly string[], ok: readonly boolean[]): Record<string, { pairs: number; rate: number }> {
  const out: Record<string, { pairs: number; rate: number }> = {};
  keys.forEach((k, i) => {
    const r = (out[k] ??= { pairs: 0, rate: 0 });
    r.rate = (r.rate * r.pairs + Number(ok[i])) / (r.pairs + 1);
    r.pairs++;
  });
  return out;
}

/**
 * How often each wrong answer was given, "asked → named" (e.g. "fluent-color → fluent-3d"), most
 * frequent first; pairs answered correctly are not counted.
 */
export function confusions(asked: readonly string[], named: readonly string[]): { asked: string; named: string; count: number }[] {
  const counts = new Map<string, { asked: string; named: string; count: number }>();
  asked.forEach((a, i) => {
    if (a === named[i]) return;
    const key = `${a}\u0000${named[i]}`;
    const c = counts.get(key) ?? counts.set(key, { asked: a, named: named[i], count: 0 }).get(key)!;
    c.count++;
  });
  return [...counts.values()].sort((x, y) => y.count - x.count || x.asked.localeCompare(y.asked) || x.named.localeCompare(y.named));
}
