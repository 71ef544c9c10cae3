import type { EvalConfig } from './config';
import type { EvalPair } from './eval-set';
import type { EvaluatorSuite } from './evaluators';
import { frechetDistanceOfSets } from './frechet';
import { imageFeatures, type SquareImage } from './image-features';
import { styleFeatures } from './style-features';
import { confusions, euclidean, meanPairwiseDistance, pixelRmse, rateByKey, rPrecisionOverMembers, topK, type SplitScore } from './metrics';
import type { RealImages } from './real-images';
import { mean } from './stats';
import { at64, type ImageSystem } from './systems';

/** Every number one system gets; null where it does not apply (e.g. diversity of a deterministic baseline is 0, not null). */
export interface SystemMetrics {
  id: string;
  label: string;
  pairs: number;
  /** The mean over evaluator members (EvalConfig.evaluatorMembers) of each member's R-precision; std over splits. */
  rPrecision: SplitScore;
  /** Each evaluator member's R-precision (absent in results older than evaluator version 7). */
  rPrecisionByMember?: number[];
  /** Template classifier top-1 on the outputs, against the requested template. */
  templateFidelity: number;
  /** The same per requested template: which templates a system loses (and which the classifier itself confuses, on the real images). */
  templateFidelityByTemplate: Record<string, { pairs: number; rate: number }>;
  /** The template judge's wrong answers, "asked → named", most frequent first (absent in older results). */
  templateConfusions?: { asked: string; named: string; count: number }[];
  expressionTop1: number;
  expressionTop5: number;
  /** Template correct and expression in the top 5. */
  pairAccuracy: number;
  /** To the real held-out image: RMSE on a 0..1 scale, and L2 between unit evaluator embeddings. */
  pixelDistance: number;
  featureDistance: number;
  /** Mean pairwise embedding distance across seeds for one text; null when not measured. */
  diversity: number | null;
  /** Fréchet distance in the evaluator's embedding space to the real test images (a proxy, not Inception FID). */
  fidProxy: number;
  seconds: number;
}

/** What every system is measured against, computed once. */
export interface EvalContext {
  cfg: EvalConfig;
  pairs: EvalPair[];
  /** Per evaluator member, per pair: [true caption, mismatched…] embeddings. */
  candidateEmbeddings: Float32Array[][][];
  evaluators: EvaluatorSuite;
  real: RealImages;
  realEmbeddings: Float32Array[];
  /** Pair indices (a subset) used for diversity, with the seeds to run. */
  diversityPairs: number[];
  seeds: number[];
  /** Seed for the main images of pair i. */
  seedOf: (i: number) => number;
}

export async function evaluateSystem(system: ImageSystem, ctx: EvalContext, options: { diversity: boolean }): Promise<SystemMetrics> {
  const t0 = Date.now();
  const generated = await system.generate(ctx.pairs.map((p, i) => ({ text: p.caption, templateId: p.templateId, seed: ctx.seedOf(i), pair: p })));
  const scores = scoreImages(generated, ctx);
  const diversity = options.diversity ? await measureDiversity(system, ctx) : null;
  return { id: system.id, label: system.label, ...scores, diversity, seconds: (Date.now() - t0) / 1000 };
}

/**
 * All metrics except diversity, for images aligned with ctx.pairs, at the system's own size: the
 * template judge reads them at its 128 px (style-features.ts), everything else at 64 px.
 */
export function scoreImages(generated: readonly SquareImage[], ctx: EvalContext): Omit<SystemMetrics, 'id' | 'label' | 'diversity' | 'seconds'> {
  const { evaluators: ev, pairs } = ctx;
  const images = at64(generated);
  const raw = images.map(imageFeatures);
  const emb = ev.embedImages(raw);
  const queries = ctx.candidateEmbeddings.map((candidates, k) => (k === 0 ? emb : ev.embedImages(raw, k)).map((image, i) => ({ image, candidates: candidates[i] })));
  const r = rPrecisionOverMembers(queries, ctx.cfg.rPrecision.splits);
  const namedTemplate = ev.templateProbabilities(generated.map(styleFeatures), raw).map((p) => ev.templateIds[topK(p, 1)[0]]);
  const templateOk = namedTemplate.map((t, i) => t === pairs[i].record.template);
  const exprRank = ev.expressionProbabilities(raw).map((p, i) => topK(p, 5).indexOf(ev.expressions.indexOf(pairs[i].record.expression)));
  const realImgs = pairs.map((p) => ctx.real.image(p.record.id));
  return {
    pairs: pairs.length,
    rPrecision: r.score,
    rPrecisionByMember: r.byMember,
    templateFidelity: mean(templateOk.map(Number)),
    templateFidelityByTemplate: rateByKey(pairs.map((p) => p.record.template), templateOk),
    templateConfusions: confusions(pairs.map((p) => p.record.template), namedTemplate),
    expressionTop1: mean(exprRank.map((r) => Number(r === 0))),
    expressionTop5: mean(exprRank.map((r) => Number(r >= 0))),
    pairAccuracy: mean(templateOk.map((ok, i) => Number(ok && exprRank[i] >= 0))),
    pixelDistance: mean(images.map((img, i) => pixelRmse(img.data, realImgs[i].data))),
    featureDistance: mean(emb.map((e, i) => euclidean(e, ctx.realEmbeddings[i]))),
    fidProxy: frechetDistanceOfSets(emb, uniqueRows(ctx.realEmbeddings, pairs)),
  };
}

/** The real side of the FID-proxy: one embedding per held-out image, not one per caption. */
function uniqueRows(rows: readonly Float32Array[], pairs: readonly EvalPair[]): Float32Array[] {
  const seen = new Set<string>();
  return rows.filter((_, i) => !seen.has(pairs[i].record.id) && Boolean(seen.add(pairs[i].record.id)));
}

async function measureDiversity(system: ImageSystem, ctx: EvalContext): Promise<number> {
  const requests = ctx.diversityPairs.flatMap((i) => ctx.seeds.map((seed) => ({ text: ctx.pairs[i].caption, templateId: ctx.pairs[i].templateId, seed, pair: ctx.pairs[i] })));
  const emb = ctx.evaluators.embedImages(at64(await system.generate(requests)).map(imageFeatures));
  const k = ctx.seeds.length;
  return mean(ctx.diversityPairs.map((_, j) => meanPairwiseDistance(emb.slice(j * k, (j + 1) * k))));
}
