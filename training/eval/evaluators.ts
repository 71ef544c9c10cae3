import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashString, mulberry32 } from '../../model/rng';
import { VariableStore } from '../../model/ops/eager';
import type { LoadedCorpus } from '../data/corpus';
import { loadWeights, saveWeights, sha256Hex } from './cache';
import type { EvalConfig } from './config';
import { FEATURE_DIM } from './image-features';
import { encodeImages, encodeTexts, mlp } from './networks';
import { NgramVocabulary } from './text-features';
import { trainClassifier, trainEvaluator, type Weights } from './train-networks';
import type { RealImages } from './real-images';
import { STYLE_DIM } from './style-features';

/** Bump when features or networks change, so old cache entries are not reused. */
export const EVALUATOR_VERSION = 5;
const TEMPLATE_CLASSIFIER = 'template_cls';
/** Parameter-name prefix of the template judge's member k (tf variable names are global). */
const templateMemberName = (k: number) => (k === 0 ? TEMPLATE_CLASSIFIER : `${TEMPLATE_CLASSIFIER}_${k}`);
const EXPRESSION_CLASSIFIER = 'expression_cls';

/** Per-dimension standardisation fitted on the training images' descriptors. */
interface Standardiser {
  mean: Float32Array;
  std: Float32Array;
}

/**
 * The evaluator (DAMSM-style image + text encoders) and the two classifiers, trained on real
 * training images only, with their own seeds, and never used by any training loss.
 */
export class EvaluatorSuite {
  constructor(
    private readonly cfg: EvalConfig,
    private readonly standardiser: Standardiser,
    /** The template classifier's own standardiser, over style descriptors. */
    private readonly styleStandardiser: Standardiser,
    readonly vocab: NgramVocabulary,
    /** `template`: the template judge's members (an ensemble, averaged; see EvalConfig.templateJudgeMembers). */
    private readonly stores: { evaluator: VariableStore; template: VariableStore[]; expression: VariableStore },
    /** Class names, index = classifier output column. */
    readonly templateIds: string[],
    readonly expressions: string[],
    readonly cacheKey: string,
    readonly trainedNow: string[],
  ) {}

  standardise(raw: Float32Array): Float32Array {
    const out = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = (raw[i] - this.standardiser.mean[i]) / this.standardiser.std[i];
    return out;
  }

  /** Unit-length image embeddings: the evaluator's feature space (R-precision, FID-proxy, diversity). */
  embedImages(raw: readonly Float32Array[]): Float32Array[] {
    const e = this.cfg.evaluator;
    return this.rows(raw, (x) => encodeImages(this.stores.evaluator, x, e.hidden, e.embedDim));
  }

  embedTexts(texts: readonly string[]): Float32Array[] {
    const e = this.cfg.evaluator;
    return this.batched(texts.map((t) => this.vocab.bag(t)), (x) => encodeTexts(this.stores.evaluator, x, e.hidden, e.embedDim));
  }

  /**
   * Softmax probabilities over templateIds, from style descriptors (style-features.ts): the mean
   * of the judge's members, so that one training seed's quirks do not decide a borderline face.
   */
  templateProbabilities(style: readonly Float32Array[]): Float32Array[] {
    const members = this.stores.template;
    return this.batched(style.map((r) => standardise(r, this.styleStandardiser)), (x) =>
      tf.div(tf.addN(members.map((store, k) => tf.softmax(mlp(store, templateMemberName(k), x, this.cfg.classifier.hidden, this.templateIds.length)))), members.length),
    );
  }

  expressionProbabilities(raw: readonly Float32Array[]): Float32Array[] {
    return this.rows(raw, (x) => tf.softmax(mlp(this.stores.expression, EXPRESSION_CLASSIFIER, x, this.cfg.classifier.hidden, this.expressions.length)));
  }

  dispose(): void {
    for (const s of Object.values(this.stores).flat()) s.dispose();
  }

  private rows(raw: readonly Float32Array[], net: (x: tf.Tensor2D) => tf.Tensor2D): Float32Array[] {
    return this.batched(raw.map((r) => this.standardise(r)), net);
  }

  /** Runs `net` over rows in batches of 256. [N, D] → [N, out] */
  private batched(rows: readonly Float32Array[], net: (x: tf.Tensor2D) => tf.Tensor2D): Float32Array[] {
    const out: Float32Array[] = [];
    for (let at = 0; at < rows.length; at += 256) {
      const chunk = rows.slice(at, at + 256);
      const d = chunk[0].length;
      const flat = new Float32Array(chunk.length * d);
      chunk.forEach((r, i) => flat.set(r, i * d));
      const y = tf.tidy(() => net(tf.tensor2d(flat, [chunk.length, d])));
      const data = y.dataSync() as Float32Array;
      const width = y.shape[1];
      y.dispose();
      for (let i = 0; i < chunk.length; i++) out.push(data.slice(i * width, (i + 1) * width));
    }
    return out;
  }
}

/** Cache key: the corpus manifest's bytes, the seed, the networks' config and this code's version. */
export function evaluatorCacheKey(corpus: LoadedCorpus, cfg: EvalConfig): string {
  const corpusHash = sha256Hex(readFileSync(join(corpus.dir, 'manifest.json'))).slice(0, 16);
  const cfgHash = sha256Hex(JSON.stringify({ v: EVALUATOR_VERSION, FEATURE_DIM, STYLE_DIM, e: cfg.evaluator, c: cfg.classifier, m: cfg.templateJudgeMembers })).slice(0, 8);
  return `${corpusHash}-seed${cfg.seed}-${cfgHash}`;
}

/** Own seeds per network, derived from the eval seed (never the model's training seed). */
const seedFor = (name: string, seed: number) => hashString(`memeface-eval:${name}:${seed}`) % 2 ** 31;

export async function buildEvaluators(corpus: LoadedCorpus, real: RealImages, cfg: EvalConfig, log: (l: string) => void): Promise<EvaluatorSuite> {
  const train = corpus.records.filter((r) => r.split === 'train');
  const standardiser = fitStandardiser(train.map((r) => real.features(r.id)));
  const trainStd = train.map((r) => standardise(real.features(r.id), standardiser));
  const vocab = NgramVocabulary.fromCaptions(train.flatMap((r) => r.zh.map((c) => c.text)), cfg.evaluator.minNgramCount);
  const templateIds = [...new Set(corpus.records.map((r) => r.template))].sort();
  const expressions = [...new Set(corpus.records.map((r) => r.expression))].sort();
  const key = evaluatorCacheKey(corpus, cfg);
  const trainedNow: string[] = [];
  const cached = async (name: string, train: () => Promise<Weights>): Promise<VariableStore> => {
    let weights = loadWeights(key, name)?.weights;
    if (!weights) {
      log(`  training ${name} (cache miss ${key})`);
      const t0 = Date.now();
      weights = await train();
      saveWeights(key, name, weights, { seconds: (Date.now() - t0) / 1000 });
      trainedNow.push(name);
    }
    const store = new VariableStore(0, false);
    store.load(weights);
    return store;
  };
  const evaluator = await cached('evaluator', () =>
    trainEvaluator({ images: trainStd, captions: train.map((r) => r.zh.map((c) => vocab.bag(c.text))), classes: train.map((r) => r.expression) }, cfg.evaluator, seedFor('evaluator', cfg.seed), log),
  );
  // The expression classifier also sees each training image mirrored: twice the views of a small corpus.
  const views = [...trainStd, ...train.map((r) => standardise(real.mirroredFeatures(r.id), standardiser))];
  const twice = <T>(xs: T[]) => [...xs, ...xs];
  // The template classifier reads style only, so it cannot learn a family from its expressions'
  // shapes; it sees each image as is, mirrored, and both with a colour jitter (colourJitter).
  const styleStandardiser = fitStandardiser(train.map((r) => real.styleFeatures(r.id)));
  let styleViews: { views: Float32Array[]; labels: number[] } | undefined;
  const trainingViews = () => {
    if (!styleViews) {
      const jitterRng = mulberry32(seedFor('template-jitter', cfg.seed));
      const perImage = train.map((r) => real.styleViews(r.id, jitterRng).map((v) => standardise(v, styleStandardiser)));
      styleViews = { views: perImage.flat(), labels: train.flatMap((r, i) => perImage[i].map(() => templateIds.indexOf(r.template))) };
    }
    return styleViews;
  };
  // The members share the training views and differ only in their seeds (member 0 keeps the single judge's).
  const template: VariableStore[] = [];
  for (let k = 0; k < cfg.templateJudgeMembers; k++) {
    const cacheName = k === 0 ? 'template-classifier' : `template-classifier-${k}`;
    const seed = seedFor(k === 0 ? 'template' : `template-${k}`, cfg.seed);
    template.push(await cached(cacheName, () => trainClassifier(templateMemberName(k), trainingViews().views, trainingViews().labels, templateIds.length, cfg.classifier, seed, log)));
  }
  const expression = await cached('expression-classifier', () =>
    trainClassifier(EXPRESSION_CLASSIFIER, views, twice(train.map((r) => expressions.indexOf(r.expression))), expressions.length, cfg.classifier, seedFor('expression', cfg.seed), log),
  );
  return new EvaluatorSuite(cfg, standardiser, styleStandardiser, vocab, { evaluator, template, expression }, templateIds, expressions, key, trainedNow);
}

function fitStandardiser(rows: readonly Float32Array[]): Standardiser {
  const d = rows[0].length;
  const mean = new Float32Array(d);
  const std = new Float32Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) std[j] += (r[j] - mean[j]) ** 2 / rows.length;
  // The floor keeps near-constant dimensions (always-white corners) from exploding.
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) + 1e-2;
  return { mean, std };
}

function standardise(raw: Float32Array, s: Standardiser): Float32Array {
  return raw.map((v, i) => (v - s.mean[i]) / s.std[i]);
}
