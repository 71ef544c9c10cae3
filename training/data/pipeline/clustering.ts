// Cleaning step 1: template discovery by k-means on image features, with outliers removed. For the
// emoji corpus the style families are known, so the clusters' agreement with them (purity, NMI) is
// reported and faces whose cluster is dominated by another template are flagged as misfits.
import type { ClusteringConfig } from '../config.js';
import { standardiseFeatures } from '../images/features.js';
import { kMeans, normalisedMutualInformation, outlierIndices, purity, simplifiedSilhouette, type KMeansResult } from '../images/kmeans.js';
import type { ClusteringReport, PipelineItem } from './types.js';

export interface ClusteringOutcome {
  kept: PipelineItem[];
  clusterOf: Map<string, number>;
  misfitIds: Set<string>;
  report: ClusteringReport;
}

/** Silhouette-chosen k for folders without known templates (k = 2..8). */
function chooseK(points: readonly Float64Array[], config: ClusteringConfig, seed: number): number {
  const maxK = Math.min(8, points.length - 1);
  let bestK = 1, bestScore = -Infinity;
  for (let k = 2; k <= maxK; k++) {
    const score = simplifiedSilhouette(points, kMeans(points, k, seed, config.restarts, config.maxIterations));
    if (score > bestScore + 1e-9) { bestScore = score; bestK = k; }
  }
  return bestK;
}

/** Each template's home cluster: the cluster holding most of its images (ties: lowest index). */
export function homeClusters(assignments: readonly number[], labels: readonly string[]): Map<string, number> {
  const counts = new Map<string, Map<number, number>>();
  labels.forEach((label, i) => {
    const row = counts.get(label) ?? new Map<number, number>();
    row.set(assignments[i], (row.get(assignments[i]) ?? 0) + 1);
    counts.set(label, row);
  });
  return new Map([...counts.entries()].map(([label, row]) => [label, [...row.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0]]));
}

function agreementByTemplate(result: KMeansResult, labels: readonly string[]): Record<string, number> {
  const perTemplate = new Map<string, Map<number, number>>();
  labels.forEach((label, i) => {
    const row = perTemplate.get(label) ?? new Map<number, number>();
    row.set(result.assignments[i], (row.get(result.assignments[i]) ?? 0) + 1);
    perTemplate.set(label, row);
  });
  const out: Record<string, number> = {};
  for (const [label, row] of [...perTemplate.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const total = [...row.values()].reduce((s, v) => s + v, 0);
    out[label] = Math.round((Math.max(...row.values()) / total) * 1000) / 1000;
  }
  return out;
}

/**
 * Clusters all items, removes outliers (and misfits when configured). `knownTemplates` = false for
 * user folders: then the clusters become the templates.
 */
export function clusterItems(items: readonly PipelineItem[], config: ClusteringConfig, seed: number, knownTemplates: boolean): ClusteringOutcome {
  const started = performance.now();
  const points = standardiseFeatures(items.map((i) => i.features));
  const templateCount = new Set(items.map((i) => i.template)).size;
  const k = config.k !== 'auto' ? config.k : knownTemplates ? templateCount : chooseK(points, config, seed);
  const result = kMeans(points, k, seed, config.restarts, config.maxIterations);
  const labels = knownTemplates ? items.map((i) => i.template) : result.assignments.map((c) => `cluster-${c}`);
  const homeCluster = homeClusters(result.assignments, labels);
  const outliers = outlierIndices(result, config.outlierSigma);
  // A misfit sits outside its template's home cluster: a face that does not look like its style.
  const misfitIds = new Set(knownTemplates ? items.filter((item, i) => homeCluster.get(item.template) !== result.assignments[i]).map((i) => i.id) : []);
  const removed = new Set([...outliers].map((i) => items[i].id));
  if (config.removeMisfits) for (const id of misfitIds) removed.add(id);
  const clusterOf = new Map(items.map((item, i) => [item.id, result.assignments[i]]));
  const kept = items
    .filter((item) => !removed.has(item.id))
    .map((item) => (knownTemplates ? item : { ...item, template: `cluster-${clusterOf.get(item.id)}`, style: `cluster-${clusterOf.get(item.id)}` }));
  return {
    kept,
    clusterOf,
    misfitIds,
    report: {
      k,
      purity: knownTemplates ? Math.round(purity(result.assignments, labels) * 1000) / 1000 : null,
      nmi: knownTemplates ? Math.round(normalisedMutualInformation(result.assignments, labels) * 1000) / 1000 : null,
      silhouette: Math.round(simplifiedSilhouette(points, result) * 1000) / 1000,
      outliers: items.filter((item) => removed.has(item.id)).map((i) => i.id),
      misfits: [...misfitIds].sort(),
      templateAgreement: agreementByTemplate(result, labels),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    },
  };
}
