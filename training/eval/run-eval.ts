import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openNodeModel, type NodeModel } from '../export/node-model';
import { loadCorpus, type LoadedCorpus } from '../data/corpus';
import { FixEvalConfigError, spacedIndices, type EvalConfig } from './config';
import { candidateCaptions, evalPairs, matchTemplates, type TemplateMatch } from './eval-set';
import { buildEvaluators, EVALUATOR_VERSION, type EvaluatorSuite } from './evaluators';
import { evaluateSystem, scoreImages, type EvalContext, type SystemMetrics } from './evaluate-system';
import { topKAccuracy } from './metrics';
import { findNoTemplateModel, resolveModel } from './model-path';
import { phraseCollisions } from './phrases';
import { RealImages } from './real-images';
import { writeGrids, type GridFiles } from './run-grids';
import { modelSystem, realTestSystem, retrievalSystem, templateOnlySystem } from './systems';

export interface EvalOptions {
  model: string;
  cfg: EvalConfig;
  corpusDir?: string;
  /** Extra exported models (configs vs improvements), evaluated as rows of the same table. */
  compare: string[];
  /** Explicit ablation without template conditioning; else found by name (<model>-no-template). */
  noTemplateModel?: string;
  backend: string;
  /** Copy the grids to docs/evaluation/ (committed): full test-split runs that update the docs only. */
  publishGrids: boolean;
  log: (line: string) => void;
}

export interface CheckpointMetrics {
  index: number;
  epoch: number;
  step: number;
  metrics: Omit<SystemMetrics, 'id' | 'label' | 'diversity' | 'seconds'>;
}

export interface EvalResults {
  model: { name: string; modelVersion: string; architecture: string; stages: number[]; templates: string[]; checkpoints: number };
  seed: number;
  quick: boolean;
  /** Where the generated pairs came from (EvalConfig.split). */
  split: 'test' | 'train';
  /** `--stage N`: the stage whose images were scored; absent: the last stage. */
  scoredStage?: number;
  backend: string;
  corpus: { manifestHash: string; records: number; testRecords: number };
  evaluator: { /** Absent before version 7. */ version?: number; cacheKey: string; trainedThisRun: string[]; config: EvalConfig['evaluator']; classifier: EvalConfig['classifier']; templateJudgeMembers: number; /** Absent before evaluator version 7 (one evaluator). */ evaluatorMembers?: number };
  templates: TemplateMatch[];
  evalSet: { pairs: number; heldOutImages: number; candidatesPerQuery: number; rPrecisionSplits: number; diversityTexts: number; diversitySeeds: number };
  systems: SystemMetrics[];
  notAvailable: { id: string; label: string; why: string }[];
  checkpoints: CheckpointMetrics[];
  sanity: Sanity;
  grids: GridFiles;
  phraseCollisions: string[];
  seconds: number;
}

export interface Sanity {
  /** The classifiers on every real test image (all templates), and on real training images. */
  templateAccuracyTest: number;
  expressionTop1Test: number;
  expressionTop5Test: number;
  templateAccuracyTrain: number;
  expressionTop1Train: number;
  testImages: number;
  /** R-precision of real test images is the ceiling row of the systems table. */
}

export async function runEval(o: EvalOptions): Promise<EvalResults> {
  const t0 = Date.now();
  const { cfg, log } = o;
  const { manifestPath, name } = resolveModel(o.model);
  const model = openNodeModel(manifestPath);
  const stages = model.manifest.stages.length;
  if (cfg.scoredStage !== null && cfg.scoredStage >= stages) throw new FixEvalConfigError(`--stage ${cfg.scoredStage}: model ${name} has stages 0–${stages - 1}.`);
  const corpus = loadCorpus(o.corpusDir);
  const real = new RealImages(corpus);
  log(`model ${name} (${model.manifest.architecture}, ${model.manifest.stages.map((s) => s.size).join('/')} px, ${model.manifest.templates.length} templates) · corpus ${corpus.records.length} images · backend ${o.backend}`);
  const evaluators = await buildEvaluators(corpus, real, cfg, log);
  const matches = matchTemplates(model.manifest.templates, corpus);
  const ctx = buildContext(corpus, real, evaluators, matches, cfg);
  const pairKind = cfg.split === 'test' ? 'held-out' : 'training';
  log(`eval set: ${ctx.pairs.length} (${pairKind} image, caption) pairs over ${new Set(ctx.pairs.map((p) => p.record.id)).size} images`);

  const systems: SystemMetrics[] = [];
  // Diversity: measured for generators, 0 by construction for deterministic baselines, none for real images.
  const measure = async (system: Parameters<typeof evaluateSystem>[0], diversity: boolean) => {
    const m = await evaluateSystem(system, ctx, { diversity });
    systems.push(system.deterministic && !diversity && system.id !== 'real-test' ? { ...m, diversity: 0 } : m);
    log(`  ${m.label}: R-precision ${(m.rPrecision.mean * 100).toFixed(1)}% · template ${(m.templateFidelity * 100).toFixed(1)}% · FID-proxy ${m.fidProxy.toFixed(3)} (${m.seconds.toFixed(0)} s)`);
    system.dispose?.();
  };
  await measure(realTestSystem(real, cfg.split), false);
  await measure(await modelSystem(model, name, `${name} (final)`, undefined, cfg.scoredStage), true);
  await measure(templateOnlySystem(model), false);
  await measure(retrievalSystem(corpus, real, matches), false);
  const notAvailable = await extraModels(o, name, measure);
  const checkpoints = await checkpointSeries(model, ctx, log);
  const grids = await writeGrids(model, name, ctx, cfg, o.publishGrids, log);
  const results = assembleResults({ name, model, corpus, real, evaluators, matches, ctx, systems, notAvailable, checkpoints, grids, o, seconds: (Date.now() - t0) / 1000 });
  evaluators.dispose();
  return results;
}

interface RunParts {
  name: string;
  model: NodeModel;
  corpus: LoadedCorpus;
  real: RealImages;
  evaluators: EvaluatorSuite;
  matches: TemplateMatch[];
  ctx: EvalContext;
  systems: SystemMetrics[];
  notAvailable: EvalResults['notAvailable'];
  checkpoints: CheckpointMetrics[];
  grids: GridFiles;
  o: EvalOptions;
  seconds: number;
}

/** The results.json object: what was measured, on what, with which evaluators. */
function assembleResults(parts: RunParts): EvalResults {
  const { name, model, corpus, real, evaluators, matches, ctx, systems, notAvailable, checkpoints, grids, o } = parts;
  const cfg = ctx.cfg;
  return {
    model: { name, modelVersion: model.manifest.modelVersion, architecture: model.manifest.architecture, stages: model.manifest.stages.map((s) => s.size), templates: model.manifest.templates.map((t) => t.id), checkpoints: model.manifest.checkpoints.length },
    seed: cfg.seed,
    quick: cfg.quick,
    split: cfg.split,
    ...(cfg.scoredStage !== null ? { scoredStage: cfg.scoredStage } : {}),
    backend: o.backend,
    corpus: { manifestHash: evaluators.cacheKey.split('-')[0], records: corpus.records.length, testRecords: corpus.records.filter((r) => r.split === 'test').length },
    evaluator: { version: EVALUATOR_VERSION, cacheKey: evaluators.cacheKey, trainedThisRun: evaluators.trainedNow, config: cfg.evaluator, classifier: cfg.classifier, templateJudgeMembers: cfg.templateJudgeMembers, evaluatorMembers: cfg.evaluatorMembers },
    templates: matches,
    evalSet: { pairs: ctx.pairs.length, heldOutImages: new Set(ctx.pairs.map((p) => p.record.id)).size, candidatesPerQuery: cfg.rPrecision.candidates, rPrecisionSplits: cfg.rPrecision.splits, diversityTexts: ctx.diversityPairs.length, diversitySeeds: ctx.seeds.length },
    systems,
    notAvailable,
    checkpoints,
    sanity: sanity(corpus, real, evaluators),
    grids,
    phraseCollisions: phraseCollisions(corpus),
    seconds: parts.seconds,
  };
}

function buildContext(corpus: LoadedCorpus, real: RealImages, ev: EvaluatorSuite, matches: TemplateMatch[], cfg: EvalConfig): EvalContext {
  const pairs = evalPairs(corpus, matches, cfg);
  const candidates = candidateCaptions(pairs, corpus, cfg);
  const unique = [...new Set(candidates.flat())];
  const candidateEmbeddings = Array.from({ length: ev.evaluatorMembers }, (_, k) => {
    const embedded = new Map(ev.embedTexts(unique, k).map((e, i) => [unique[i], e]));
    return candidates.map((c) => c.map((t) => embedded.get(t)!));
  });
  const realEmb = ev.embedImages(pairs.map((p) => real.features(p.record.id)));
  return {
    cfg,
    pairs,
    candidateEmbeddings,
    evaluators: ev,
    real,
    realEmbeddings: realEmb,
    // The first pairs come one per held-out image (evalPairs is round-robin), so texts differ.
    diversityPairs: pairs.slice(0, cfg.diversity.texts).map((_, i) => i),
    seeds: Array.from({ length: cfg.diversity.seeds }, (_, k) => cfg.seed * 1000 + 500 + k),
    seedOf: (i) => cfg.seed * 1_000_003 + i,
  };
}

type Measure = (system: Awaited<ReturnType<typeof modelSystem>>, diversity: boolean) => Promise<void>;

/** The no-template ablation and compared configs, each through the same metrics. */
async function extraModels(o: EvalOptions, name: string, measure: Measure): Promise<EvalResults['notAvailable']> {
  const notAvailable: EvalResults['notAvailable'] = [];
  const ablation = o.noTemplateModel ?? findNoTemplateModel(name);
  if (ablation) {
    const m = resolveModel(ablation);
    await measure(await modelSystem(openNodeModel(m.manifestPath), 'no-template', `${m.name} (no template conditioning)`, undefined, o.cfg.scoredStage), true);
  } else {
    notAvailable.push({ id: 'no-template', label: 'model without template conditioning', why: `no export named ${name}-no-template (or pass --no-template-model)` });
  }
  for (const other of o.compare) {
    const m = resolveModel(other);
    await measure(await modelSystem(openNodeModel(m.manifestPath), m.name, `${m.name} (compared config)`, undefined, o.cfg.scoredStage), true);
  }
  if (!o.compare.length) notAvailable.push({ id: 'configs', label: "paper's setting vs each improvement", why: 'no compared exports given (--compare <model>,<model>)' });
  return notAvailable;
}

/** Cheap metrics along the training timeline, on the first pairs of the eval set. */
async function checkpointSeries(model: NodeModel, ctx: EvalContext, log: (l: string) => void): Promise<CheckpointMetrics[]> {
  const n = Math.min(ctx.pairs.length, ctx.cfg.checkpointPairs);
  const sub: EvalContext = { ...ctx, pairs: ctx.pairs.slice(0, n), candidateEmbeddings: ctx.candidateEmbeddings.map((m) => m.slice(0, n)), realEmbeddings: ctx.realEmbeddings.slice(0, n) };
  const out: CheckpointMetrics[] = [];
  for (const index of spacedIndices(model.manifest.checkpoints.length, ctx.cfg.maxCheckpoints)) {
    const c = model.manifest.checkpoints[index];
    const system = await modelSystem(model, `checkpoint-${index}`, `epoch ${c.epoch}`, index, ctx.cfg.scoredStage);
    const images = await system.generate(sub.pairs.map((p, i) => ({ text: p.caption, templateId: p.templateId, seed: sub.seedOf(i) })));
    system.dispose?.();
    out.push({ index, epoch: c.epoch, step: c.step, metrics: scoreImages(images, sub) });
    const m = out[out.length - 1].metrics;
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    log(`  checkpoint ${index} (epoch ${c.epoch}): R-precision ${pct(m.rPrecision.mean)} · template ${pct(m.templateFidelity)} · expression top-1 ${pct(m.expressionTop1)} top-5 ${pct(m.expressionTop5)} · pair ${pct(m.pairAccuracy)} · FID-proxy ${m.fidProxy.toFixed(3)} on ${n} pairs`);
  }
  return out;
}

function sanity(corpus: LoadedCorpus, real: RealImages, ev: EvaluatorSuite): Sanity {
  const acc = (split: 'train' | 'test') => {
    const recs = corpus.records.filter((r) => r.split === split);
    const raw = recs.map((r) => real.features(r.id));
    const tLabels = recs.map((r) => ev.templateIds.indexOf(r.template));
    const eLabels = recs.map((r) => ev.expressions.indexOf(r.expression));
    const tp = ev.templateProbabilities(recs.map((r) => real.styleFeatures(r.id)), raw);
    const ep = ev.expressionProbabilities(raw);
    return { t: topKAccuracy(tp, tLabels, 1), e1: topKAccuracy(ep, eLabels, 1), e5: topKAccuracy(ep, eLabels, 5), n: recs.length };
  };
  const test = acc('test');
  const train = acc('train');
  return { templateAccuracyTest: test.t, expressionTop1Test: test.e1, expressionTop5Test: test.e5, templateAccuracyTrain: train.t, expressionTop1Train: train.e1, testImages: test.n };
}

/** results.json (committed); results-quick.json for a quick run; results-train(-quick).json for --split train; -stage<N> for --stage N. */
export function resultsFileName(quick: boolean, split: 'test' | 'train', stage: number | null = null): string {
  return `results${split === 'train' ? '-train' : ''}${stage !== null ? `-stage${stage}` : ''}${quick ? '-quick' : ''}.json`;
}

/** eval/<model>/results.json (committed); a quick run writes results-quick.json beside it. */
export function writeResults(results: EvalResults): string {
  const dir = join('eval', results.model.name);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, resultsFileName(results.quick, results.split, results.scoredStage ?? null));
  writeFileSync(path, `${JSON.stringify(results, roundFloats, 1)}\n`);
  return path;
}

/** Six significant digits: enough for every table, and stable diffs between runs. */
function roundFloats(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value;
}
