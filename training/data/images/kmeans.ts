// Deterministic k-means (k-means++ seeding from the config seed, several restarts) plus the
// agreement measures used to report how well clusters match style families.
import { seededRandom } from '../rng.js';

export interface KMeansResult {
  assignments: number[];
  centroids: Float64Array[];
  inertia: number;
  /** Squared distance of each point to its centroid. */
  distances: number[];
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum;
}

function seedCentroids(points: readonly Float64Array[], k: number, random: () => number): Float64Array[] {
  const centroids = [Float64Array.from(points[Math.floor(random() * points.length)])];
  const nearest = points.map((p) => squaredDistance(p, centroids[0]));
  while (centroids.length < k) {
    const total = nearest.reduce((s, v) => s + v, 0);
    let target = random() * total, index = 0;
    while (index < points.length - 1 && target > nearest[index]) target -= nearest[index++];
    const chosen = Float64Array.from(points[index]);
    centroids.push(chosen);
    points.forEach((p, i) => { nearest[i] = Math.min(nearest[i], squaredDistance(p, chosen)); });
  }
  return centroids;
}

function runOnce(points: readonly Float64Array[], k: number, random: () => number, maxIterations: number): KMeansResult {
  const dim = points[0].length;
  let centroids = seedCentroids(points, k, random);
  const assignments = new Array<number>(points.length).fill(-1);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = false;
    points.forEach((p, i) => {
      let best = 0, bestDistance = Infinity;
      centroids.forEach((c, j) => {
        const d = squaredDistance(p, c);
        if (d < bestDistance) { bestDistance = d; best = j; }
      });
      if (assignments[i] !== best) { assignments[i] = best; changed = true; }
    });
    if (!changed) break;
    const sums = Array.from({ length: k }, () => new Float64Array(dim));
    const counts = new Array<number>(k).fill(0);
    points.forEach((p, i) => { counts[assignments[i]]++; p.forEach((v, j) => { sums[assignments[i]][j] += v; }); });
    // An emptied cluster keeps its old centroid rather than collapsing; deterministic and harmless.
    centroids = sums.map((sum, j) => (counts[j] ? sum.map((v) => v / counts[j]) : centroids[j]));
  }
  const distances = points.map((p, i) => squaredDistance(p, centroids[assignments[i]]));
  return { assignments, centroids, inertia: distances.reduce((s, v) => s + v, 0), distances };
}

/** k-means with k-means++ seeding; same points, k and seed give the same result. */
export function kMeans(points: readonly Float64Array[], k: number, seed: number, restarts = 4, maxIterations = 60): KMeansResult {
  if (points.length === 0) throw new RangeError('k-means needs at least one point.');
  const clusters = Math.min(k, points.length);
  const random = seededRandom(seed);
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const result = runOnce(points, clusters, random, maxIterations);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best as KMeansResult;
}

function countTable(assignments: readonly number[], labels: readonly string[]): Map<number, Map<string, number>> {
  const table = new Map<number, Map<string, number>>();
  assignments.forEach((cluster, i) => {
    const row = table.get(cluster) ?? new Map<string, number>();
    row.set(labels[i], (row.get(labels[i]) ?? 0) + 1);
    table.set(cluster, row);
  });
  return table;
}

/** Label most common in each cluster (ties broken alphabetically, for determinism). */
export function majorityLabels(assignments: readonly number[], labels: readonly string[]): Map<number, string> {
  const majority = new Map<number, string>();
  for (const [cluster, row] of countTable(assignments, labels)) {
    const [label] = [...row.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    majority.set(cluster, label);
  }
  return majority;
}

/** Share of points whose cluster's majority label is their own label. */
export function purity(assignments: readonly number[], labels: readonly string[]): number {
  let agreeing = 0;
  for (const row of countTable(assignments, labels).values()) agreeing += Math.max(...row.values());
  return assignments.length ? agreeing / assignments.length : 0;
}

function entropy(counts: Iterable<number>, total: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log(c / total);
  return h;
}

/** Normalised mutual information (arithmetic-mean normalisation), in [0, 1]. */
export function normalisedMutualInformation(assignments: readonly number[], labels: readonly string[]): number {
  const n = assignments.length;
  if (n === 0) return 0;
  const table = countTable(assignments, labels);
  const labelCounts = new Map<string, number>();
  labels.forEach((l) => labelCounts.set(l, (labelCounts.get(l) ?? 0) + 1));
  let mutual = 0;
  for (const row of table.values()) {
    const clusterTotal = [...row.values()].reduce((s, v) => s + v, 0);
    for (const [label, count] of row) {
      mutual += (count / n) * Math.log((count * n) / (clusterTotal * (labelCounts.get(label) ?? 1)));
    }
  }
  const hClusters = entropy([...table.values()].map((row) => [...row.values()].reduce((s, v) => s + v, 0)), n);
  const hLabels = entropy(labelCounts.values(), n);
  const denominator = (hClusters + hLabels) / 2;
  return denominator > 0 ? mutual / denominator : 1;
}

/** Points farther from their centroid than mean + sigma·sd of their cluster's distances. */
export function outlierIndices(result: KMeansResult, sigma: number): Set<number> {
  const byCluster = new Map<number, number[]>();
  result.assignments.forEach((c, i) => byCluster.set(c, [...(byCluster.get(c) ?? []), i]));
  const outliers = new Set<number>();
  for (const members of byCluster.values()) {
    if (members.length < 5) continue; // too few points to estimate a spread
    const d = members.map((i) => Math.sqrt(result.distances[i]));
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
    members.forEach((i, j) => { if (d[j] > mean + sigma * sd) outliers.add(i); });
  }
  return outliers;
}

/** Mean simplified silhouette (distance to own vs nearest other centroid); used to choose k. */
export function simplifiedSilhouette(points: readonly Float64Array[], result: KMeansResult): number {
  if (result.centroids.length < 2) return 0;
  let total = 0;
  points.forEach((p, i) => {
    const own = Math.sqrt(result.distances[i]);
    let other = Infinity;
    result.centroids.forEach((c, j) => { if (j !== result.assignments[i]) other = Math.min(other, Math.sqrt(squaredDistance(p, c))); });
    const denominator = Math.max(own, other);
    total += denominator > 0 ? (other - own) / denominator : 0;
  });
  return total / points.length;
}
