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

/** The evaluation protocol's version, reported with every result (docs/EVALUATION.md tells them apart). */
export const EVALUATOR_VERSION = 7;
/**
 * Bump when features or networks change, so old cache entries are not reused. Version 7 added
 * evaluator members beside version 6's networks and changed none of them, so the key stays.
 */
const CACHE_VERSION = 6;
const TEMPLATE_CLASSIFIER = 'template_cls';
const KIND_CLASSIFIER = 'kind_cls';

/**
 * The template judge's two questions: which style family (from style), and cat or face (from
 * layout). `family[t]`, `kind[t]`: template t's indices into `families` and `kinds`.
 */
export interface TemplateParts {
  families: string[];
  kinds: string[];
  family: number[];
  kind: number[];
}

/**
 * Splits templates into (style family, kind). When two templates share both (a user's corpus
 * whose clusters are not families × kinds), each template is its own family and kind is not asked.
 */
export function templateParts(templateIds: readonly string[], info: ReadonlyMap<string, { style: string; kind: string }>): TemplateParts {
  const parts = templateIds.map((t) => info.get(t) ?? { style: t, kind: 'face' });
  const unique = new Set(parts.map((p) => `${p.style}\u0000${p.kind}`)).size === parts.length;
  const familyName = (i: number) => (unique ? parts[i].style : templateIds[i]);
  const kindName = (i: number) => (unique ? parts[i].kind : 'any');
  const families = [...new Set(templateIds.map((_, i) => familyName(i)))].sort();
  const kinds = [...new Set(templateIds.map((_, i) => kindName(i)))].sort();
  return { families, kinds, family: templateIds.map((_, i) => families.indexOf(familyName(i))), kind: templateIds.map((_, i) => kinds.indexOf(kindName(i))) };
}
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
    /**
     * `evaluator`: the DAMSM-style evaluator's members (EvalConfig.evaluatorMembers; member 0 is
     * the feature space); `family`: the template judge's style members (an ensemble over style families, averaged; see
     * EvalConfig.templateJudgeMembers); `kind`: the cat/face classifier (absent when the corpus has
     * one kind).
     */
    private readonly stores: { evaluator: VariableStore[]; family: VariableStore[]; kind?: VariableStore; expression: VariableStore },
    /** Class names, index = classifier output column. */
    readonly templateIds: string[],
    /** Each template's style family and kind, as indices into the family and kind classifiers' outputs. */
    private readonly templateParts: TemplateParts,
    readonly expressions: string[],
    readonly cacheKey: string,
    readonly trainedNow: string[],
  ) {}

  standardise(raw: Float32Array): Float32Array {
    const out = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = (raw[i] - this.standardiser.mean[i]) / this.standardiser.std[i];
    return out;
  }

  /** How many evaluator members R-precision averages over. */
  get evaluatorMembers(): number {
    return this.stores.evaluator.length;
  }

  /**
   * Unit-length image embeddings of evaluator member `member`. Member 0's are the evaluator's
   * feature space (FID-proxy, feature distance, diversity); every member's count in R-precision.
   */
  embedImages(raw: readonly Float32Array[], member = 0): Float32Array[] {
    const e = this.cfg.evaluator;
    return this.rows(raw, (x) => encodeImages(this.stores.evaluator[member], x, e.hidden, e.embedDim, member));
  }

  embedTexts(texts: readonly string[], member = 0): Float32Array[] {
    const e = this.cfg.evaluator;
    return this.batched(texts.map((t) => this.vocab.bag(t)), (x) => encodeTexts(this.stores.evaluator[member], x, e.hidden, e.embedDim, member));
  }

  /**
   * Probabilities over templateIds: p(template) ∝ p(family | style descriptor) · p(kind | layout
   * descriptor). The family is read from palette, shading and line work (style-features.ts; the
   * mean of the judge's members, so that one seed's quirks do not decide a borderline face); a cat
   * template shares its family's style, so whether it is the cat or the face is read from the
   * layout descriptor (image-features.ts), where the ears are.
   * style: [N][STYLE_DIM], layout: [N][FEATURE_DIM] raw descriptors of the same images.
   */
  templateProbabilities(style: readonly Float32Array[], layout: readonly Float32Array[]): Float32Array[] {
    const { families, kinds, family: familyOf, kind: kindOf } = this.templateParts;
    const members = this.stores.family;
    const pFamily = this.batched(style.map((r) => standardise(r, this.styleStandardiser)), (x) =>
      tf.div(tf.addN(members.map((store, k) => tf.softmax(mlp(store, templateMemberName(k), x, this.cfg.classifier.hidden, families.length)))), members.length),
    );
    const kindStore = this.stores.kind;
    const pKind = kindStore ? this.rows(layout, (x) => tf.softmax(mlp(kindStore, KIND_CLASSIFIER, x, this.cfg.classifier.hidden, kinds.length))) : null;
    return pFamily.map((pf, i) => {
      const joint = Float32Array.from(this.templateIds, (_, t) => pf[familyOf[t]] * (pKind ? pKind[i][kindOf[t]] : 1));
      const total = joint.reduce((a, b) => a + b, 0) || 1;
      return joint.map((v) => v / total);
    });
  }

  expressionProbabilities(raw: readonly Float32Array[]): Float32Array[] {
    return this.rows(raw, (x) => tf.softmax(mlp(this.stores.expression, EXPRESSION_CLASSIFIER, x, this.cfg.classifier.hidden, this.expressions.length)));
  }

  dispose(): void {
    for (const s of Object.values(this.stores).flat()) s?.dispose();
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
  const cfgHash = sha256Hex(JSON.stringify({ v: CACHE_VERSION, FEATURE_DIM, STYLE_DIM, e: cfg.evaluator, c: cfg.classifier, m: cfg.templateJudgeMembers })).slice(0, 8);
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
  const parts = templateParts(templateIds, new Map(corpus.templates.map((t) => [t.id, { style: t.style, kind: t.kind }])));
  const partsOf = (template: string) => templateIds.indexOf(template);
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
  // The evaluator's members share the training data and differ only in their seeds (member 0 keeps the single evaluator's).
  const evaluatorData = { images: trainStd, captions: train.map((r) => r.zh.map((c) => vocab.bag(c.text))), classes: train.map((r) => r.expression) };
  const evaluator: VariableStore[] = [];
  for (let k = 0; k < cfg.evaluatorMembers; k++) {
    const name = k === 0 ? 'evaluator' : `evaluator-${k}`;
    evaluator.push(await cached(name, () => trainEvaluator(evaluatorData, cfg.evaluator, seedFor(name, cfg.seed), log, k)));
  }
  // The expression classifier also sees each training image mirrored: twice the views of a small corpus.
  const views = [...trainStd, ...train.map((r) => standardise(real.mirroredFeatures(r.id), standardiser))];
  const twice = <T>(xs: T[]) => [...xs, ...xs];
  // The family classifier reads style only, so it cannot learn a family from its expressions'
  // shapes; it sees each image as is, mirrored, and both with a colour jitter (colourJitter).
  const styleStandardiser = fitStandardiser(train.map((r) => real.styleFeatures(r.id)));
  let styleViews: { views: Float32Array[]; labels: number[] } | undefined;
  const trainingViews = () => {
    if (!styleViews) {
      const jitterRng = mulberry32(seedFor('template-jitter', cfg.seed));
      const perImage = train.map((r) => real.styleViews(r.id, jitterRng).map((v) => standardise(v, styleStandardiser)));
      styleViews = { views: perImage.flat(), labels: train.flatMap((r, i) => perImage[i].map(() => parts.family[partsOf(r.template)])) };
    }
    return styleViews;
  };
  // The members share the training views and differ only in their seeds (member 0 keeps the single judge's).
  const family: VariableStore[] = [];
  for (let k = 0; k < cfg.templateJudgeMembers; k++) {
    const cacheName = k === 0 ? 'family-classifier' : `family-classifier-${k}`;
    const seed = seedFor(k === 0 ? 'template' : `template-${k}`, cfg.seed);
    family.push(await cached(cacheName, () => trainClassifier(templateMemberName(k), trainingViews().views, trainingViews().labels, parts.families.length, cfg.classifier, seed, log)));
  }
  // Cat or face, from the layout descriptor (image and mirror image), where the ears are.
  const kind = parts.kinds.length > 1
    ? await cached('kind-classifier', () => trainClassifier(KIND_CLASSIFIER, views, twice(train.map((r) => parts.kind[partsOf(r.template)])), parts.kinds.length, cfg.classifier, seedFor('kind', cfg.seed), log))
    : undefined;
  const expression = await cached('expression-classifier', () =>
    trainClassifier(EXPRESSION_CLASSIFIER, views, twice(train.map((r) => expressions.indexOf(r.expression))), expressions.length, cfg.classifier, seedFor('expression', cfg.seed), log),
  );
  return new EvaluatorSuite(cfg, standardiser, styleStandardiser, vocab, { evaluator, family, kind, expression }, templateIds, parts, expressions, key, trainedNow);
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
