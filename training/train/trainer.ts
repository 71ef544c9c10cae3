/**
 * The training loop: DAMSM pre-training, then the GAN (paper eq. 1–2), with checkpoints, resume,
 * EMA, sample grids, JSONL logs and a progress bar. Every random draw derives from (seed, phase,
 * step), so a resumed run continues exactly where the straight run would be.
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's ESM entry registers no gradients; the union package's Node build does (as training/engine does).
import '@tensorflow/tfjs';
import * as jieba from 'jieba-wasm';
import { eagerOps as o, VariableStore } from '../../model/ops/eager';
import { hashString, mulberry32, normalArray, type Rng } from '../../model/rng';
import { createSegmenter } from '../../model/text/segmenter';
import { buildVocabulary, tokenize, Vocabulary, type Segmenter, type TokenizerSettings } from '../../model/text/tokenizer';
import type { MemeFaceConfig } from '../../model/memeface/config';
import { memeFaceStage } from '../../model/memeface/architecture';
import { textEncoder } from '../../model/memeface/text';
import { discriminator } from '../../model/memeface/discriminator';
import { damsmImageEncoder, sentenceMatchScores, wordMatchScores } from '../../model/memeface/damsm';
import { ConfigError, configDiff, configHash, ConfigMismatchError, modelConfig, PARAMETER_FREE_MODEL_PATH, resolveConfig, type RunConfig } from './config';
import {
  checkpointDirName,
  listCheckpoints,
  listDamsmCheckpoints,
  readExportStartRecord,
  readRunConfig,
  readRunVocab,
  readState,
  readWeights,
  writeCheckpoint,
  writeExportStartRecord,
  writeWarmStartRecord,
  type CheckpointState,
  type RunVocab,
  type WeightMap,
} from './checkpoint';
import { builtinEmojiData, corpusData, type TrainingData } from './data';
import { mirroredRows, mirrorImage } from './augment';
import { Adam, Ema, OverlayParams, ganLrScale } from './optim';
import { matchingLoss } from './losses';
import { ProgressBar } from './progress';
import { cropToWindow, discriminatorClasses, patchWindows, templateDiscriminatorClasses } from './patches';
import { renderGrid } from './grid';
import type { ExportStart } from './export-start';
// The parallel parts only: the engine's index registers the wasm backend on import, and this
// module is also imported where no training backend is set up (export, eval, tests).
import { DataParallelTrainer } from '../engine/parallel/data-parallel-trainer';
import { LocalGradientRunner } from '../engine/parallel/local-runner';
import type { GradientRunner, TensorMap } from '../engine/parallel/protocol';
import { ganBatchGradients, ganPhase, shardToMap, type GanGradientOptions, type GanShard } from './gan-gradients';

export type Phase = 'damsm' | 'gan';

export interface StepRecord {
  phase: Phase;
  epoch: number;
  step: number;
  globalStep: number;
  losses: Record<string, number>;
  imgPerSec: number;
  elapsed: number;
}

export interface TrainOptions {
  config: RunConfig;
  /** Which phases to run: 'damsm', 'gan', or both in order ('all'). */
  stage?: Phase | 'all';
  runsRoot?: string;
  /** Resume this run folder (its saved config wins; a different `config` is rejected). */
  resumeDir?: string;
  /**
   * With `resumeDir`: train the GAN phase on to this many epochs (more than the run's config
   * says). The run's config.json is rewritten with the new `gan.epochs`, and a log event records it.
   */
  extendGanEpochs?: number;
  /** Stage 'gan' of a fresh run: take the text + DAMSM image encoder from this run's last DAMSM checkpoint. */
  damsmFrom?: string;
  /**
   * A fresh run that goes on from another run's last GAN checkpoint (weights, EMA, Adam moments,
   * epoch, step and elapsed time), with different GAN settings: a warm start for comparing a
   * training change against the source run trained on. Only `gan.*` (but not the keys that
   * shape D), the name, logging and the grid may differ.
   */
  initFrom?: string;
  /** The warm start's checkpoint: `initFrom`'s epoch-N one. Absent: its last. */
  initEpoch?: number;
  /**
   * A fresh run that starts from an exported model (export-start.ts, already read and checked
   * against the config): generator and text encoder from the export, its vocabulary, D and Adam
   * afresh, and a DAMSM phase that trains the image encoder alone. Needs stage 'all'.
   */
  initFromExport?: ExportStart;
  data?: TrainingData;
  /**
   * Worker threads for the GAN gradients (one wasm backend, one core each); must divide
   * gan.shards. Default 1: this thread. The update does not depend on it.
   */
  workers?: number;
  /** Stop (without a checkpoint, as if killed) after this many steps in this invocation. */
  maxSteps?: number;
  /** Stop at the first epoch end after this many minutes, with a checkpoint. */
  maxMinutes?: number;
  onStep?: (r: StepRecord) => void;
  /** No progress bar. */
  quiet?: boolean;
}

export interface TrainResult {
  runDir: string;
  records: StepRecord[];
  stopped: 'done' | 'maxSteps' | 'time';
  /** Fixed-set reconstruction error at the GAN phase's start and at each GAN checkpoint. */
  evals: { epoch: number; recon_l1: number }[];
}

export function runFolderName(cfg: RunConfig, date = new Date()): string {
  return `${date.toISOString().slice(0, 10)}_${cfg.name}`;
}

function newRunDir(root: string, cfg: RunConfig): string {
  const base = join(root, runFolderName(cfg));
  let dir = base;
  for (let k = 2; existsSync(dir); k++) dir = `${base}-${k}`;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A variable of G_i or G'_i for i ≥ 1 (gen/s1/…, gen/edit2/…): the stages gan.lrGUpper trains. */
export function upperStageVariable(name: string): boolean {
  return /^gen\/(s|edit)[1-9][0-9]*\//.test(name);
}

/** Deterministic permutation of 0..n-1 for (seed, phase, epoch). */
export function epochOrder(n: number, seed: number, phase: Phase, epoch: number): number[] {
  const r = mulberry32(hashString(`${seed}:${phase}:order:${epoch}`));
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * A batch of `size` pairs in shards of `shardSize` rows (gan.shards; DAMSM pre-training uses one).
 * wrongCaption/wrongTemplate index a row of the same shard; exclude is [B, shardSize], 1 where an
 * off-diagonal pair of the same shard is not a negative. labels: the expression's index in
 * MemeFaceTrainer.expressions.
 */
export interface Batch extends GanShard {
  size: number;
  shardSize: number;
  rng: Rng;
}

export function disposeBatch(b: Batch): void {
  tf.dispose([b.ids, b.mask, b.noise, b.wrongCaption, b.wrongTemplate, b.exclude, b.labels, b.templateLabels, ...Object.values(b.images), ...Object.values(b.templates)]);
}

export class MemeFaceTrainer {
  readonly store: VariableStore;
  readonly mcfg: MemeFaceConfig;
  readonly vocab: Vocabulary;
  readonly settings: TokenizerSettings;
  private readonly tokens: { ids: Int32Array; mask: Float32Array }[];
  /** The training pairs' expressions, sorted: the auxiliary classifier's classes. */
  readonly expressions: string[];
  private readonly labels: Int32Array;
  /** The training pairs' templates, sorted: the template classifier's classes. */
  readonly templateIds: string[];
  private readonly templateLabels: Int32Array;
  readonly optG: Adam;
  readonly optD: Adam;
  readonly optDamsm: Adam;
  readonly ema: Ema;
  /** Where GAN gradients run: this thread (created at the first step) or worker threads (startWorkers). */
  private runner: GradientRunner | undefined;
  private ganOptionsCache: GanGradientOptions | undefined;

  constructor(
    readonly cfg: RunConfig,
    readonly data: TrainingData,
    vocab: RunVocab,
    readonly segment: Segmenter,
  ) {
    this.vocab = new Vocabulary(vocab.words);
    this.settings = vocab.settings;
    this.mcfg = modelConfig(cfg, this.vocab.size);
    this.store = new VariableStore(cfg.seed);
    this.tokens = data.pairs.map((p) => tokenize(p.caption, segment, this.vocab, this.settings));
    this.expressions = [...new Set(data.pairs.map((p) => p.expression))].sort();
    const index = new Map(this.expressions.map((e, i) => [e, i]));
    this.labels = Int32Array.from(data.pairs, (p) => index.get(p.expression)!);
    this.templateIds = [...new Set(data.pairs.map((p) => p.template))].sort();
    const templateIndex = new Map(this.templateIds.map((t, i) => [t, i]));
    this.templateLabels = Int32Array.from(data.pairs, (p) => templateIndex.get(p.template)!);
    const g = cfg.gan;
    this.optG = new Adam(g.lrG, g.beta1, g.beta2, 1e-8, (name) => (g.lrGUpper > 0 && upperStageVariable(name) ? g.lrGUpper / g.lrG : 1));
    this.optD = new Adam(g.lrD, g.beta1, g.beta2);
    this.optDamsm = new Adam(cfg.damsm.lr, cfg.damsm.beta1, cfg.damsm.beta2);
    this.ema = new Ema(g.ema);
    this.materialize();
    this.ema.init(this.store.vars, this.emaPrefixes.flatMap((p) => this.names(p)));
  }

  /** Creates every parameter with a batch-2 forward pass of every network. */
  private materialize(): void {
    const c = this.mcfg;
    tf.tidy(() => {
      const ids = tf.zeros([2, c.maxTokens], 'int32');
      const mask = tf.ones([2, c.maxTokens]);
      const t = textEncoder(o, this.store, c, ids, mask);
      const pool: Record<string, tf.Tensor> = { sentence: t.sentence, words: t.words, token_mask: mask, noise: tf.zeros([2, c.zDim]) };
      const windows = patchWindows(c.imageSizes, this.cfg.gan.patchSize, () => 0);
      c.imageSizes.forEach((s, i) => {
        pool[`template_${s}`] = tf.zeros([2, s, s, 3]);
        const out = memeFaceStage(o, this.store, c, i, pool);
        pool[`h_${s}`] = out.h;
        // D_i is created at the size it trains on (a patch when patch training is on).
        const seen = cropToWindow(out.image as tf.Tensor4D, windows[i]);
        discriminator(o, this.store, c, i, seen, t.sentence, cropToWindow(pool[`template_${s}`] as tf.Tensor4D, windows[i]), discriminatorClasses(windows[i], this.classes), templateDiscriminatorClasses(windows[i], this.templateClasses, this.cfg.gan.templateClassPatches));
        if (i === c.imageSizes.length - 1) damsmImageEncoder(o, this.store, c, out.image);
      });
    });
  }

  /** Classes of D's auxiliary expression classifier (0 = no classifier; runs saved before gan.classWeight existed have none). */
  get classes(): number {
    return this.cfg.gan.classWeight > 0 ? this.expressions.length : 0;
  }

  /** Classes of D's template classifier (0 = none; also runs saved before gan.templateClassWeight existed). */
  get templateClasses(): number {
    return this.cfg.gan.templateClassWeight > 0 ? this.templateIds.length : 0;
  }

  /** What G's optimiser (and the EMA) cover: the generator, plus the text encoder when `gan.trainTextEncoder`. */
  get emaPrefixes(): string[] {
    return this.cfg.gan.trainTextEncoder ? ['gen/', 'text/'] : ['gen/'];
  }

  /**
   * At the first GAN step: the EMA of a trainable text encoder starts from its DAMSM-trained
   * weights (the EMA was created before DAMSM pre-training changed them).
   */
  startGan(): void {
    if (!this.cfg.gan.trainTextEncoder) return;
    this.ema.init(this.store.vars, this.names('text/'));
  }

  /**
   * DAMSM pre-training trains the image encoder alone, against a text encoder that came from an
   * export (export-start.ts): the GAN fine-tuned that encoder, and the generator expects it as is.
   */
  freezeTextInDamsm = false;

  /**
   * Sets the generator and text encoder (and their EMA) to an export's final weights
   * (export-start.ts). Every such parameter must be there: a missing one means another config.
   */
  loadGeneratorWeights(weights: WeightMap): void {
    const names = ['text/', 'gen/'].flatMap((p) => this.names(p));
    const missing = names.filter((n) => !weights.has(n));
    if (missing.length) throw new ConfigMismatchError(`The export has no weights for ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}: it was trained with another model config.`);
    this.store.load(new Map(names.map((n) => [n, weights.get(n)!])));
    this.ema.init(this.store.vars, this.emaPrefixes.flatMap((p) => this.names(p)));
  }

  names(prefix: string): string[] {
    return [...this.store.vars.keys()].filter((n) => n.startsWith(prefix));
  }

  private varList(prefixes: string[]): tf.Variable[] {
    return prefixes.flatMap((p) => this.names(p)).map((n) => this.store.vars.get(n)!);
  }

  get pairCount(): number {
    return this.data.pairs.length;
  }

  /** `augment: false` keeps the images as they are (data.flip off), for measurements on a fixed set. */
  makeBatch(indices: number[], phase: Phase, globalStep: number, shards = 1, augment = true): Batch {
    const c = this.mcfg;
    const b = indices.length;
    if (b % shards !== 0) throw new ConfigError(`A batch of ${b} pairs does not split into ${shards} equal shards (gan.shards must divide gan.batchSize).`);
    const n = b / shards; // rows per shard
    const l = c.maxTokens;
    const rng = mulberry32(hashString(`${this.cfg.seed}:${phase}:step:${globalStep}`));
    const pairs = indices.map((i) => this.data.pairs[i]);
    const ids = new Int32Array(b * l);
    const mask = new Float32Array(b * l);
    indices.forEach((p, i) => {
      ids.set(this.tokens[p].ids, i * l);
      mask.set(this.tokens[p].mask, i * l);
    });
    const images: Record<number, tf.Tensor4D> = {};
    const templates: Record<number, tf.Tensor4D> = {};
    // data.flip: the image and its template P mirrored together (AttnGAN's random flip).
    const mirrored = augment && this.cfg.data.flip ? mirroredRows(this.cfg.seed, phase, globalStep, b) : new Array<boolean>(b).fill(false);
    for (const s of c.imageSizes) {
      const im = new Float32Array(b * s * s * 3);
      const tp = new Float32Array(b * s * s * 3);
      const view = (x: Float32Array, i: number) => (mirrored[i] ? mirrorImage(x, s) : x);
      pairs.forEach((p, i) => {
        im.set(view(this.data.image(p.imageId, s), i), i * s * s * 3);
        tp.set(view(this.data.pattern(p.template, s), i), i * s * s * 3);
      });
      images[s] = tf.tensor4d(im, [b, s, s, 3]);
      templates[s] = tf.tensor4d(tp, [b, s, s, 3]);
    }
    // Mismatched pairs: the next sample of the same shard whose caption (resp. template) differs,
    // else the next one; as an index within the shard.
    const pick = (same: (i: number, j: number) => boolean) =>
      pairs.map((_, i) => {
        const base = i - (i % n);
        for (let k = 1; k < n; k++) if (!same(i, base + ((i - base + k) % n))) return (i - base + k) % n;
        return (i - base + 1) % n;
      });
    const wrongCaption = pick((i, j) => pairs[i].caption === pairs[j].caption || pairs[i].imageId === pairs[j].imageId);
    const wrongTemplate = pick((i, j) => pairs[i].template === pairs[j].template);
    const exclude = new Float32Array(b * n); // [B, n]
    for (let i = 0; i < b; i++) for (let k = 0; k < n; k++) {
      const j = i - (i % n) + k;
      if (i !== j && (pairs[i].imageId === pairs[j].imageId || pairs[i].caption === pairs[j].caption)) exclude[i * n + k] = 1;
    }
    return {
      size: b,
      shardSize: n,
      ids: tf.tensor2d(ids, [b, l], 'int32'),
      mask: tf.tensor2d(mask, [b, l]),
      noise: tf.tensor2d(normalArray(rng, b * c.zDim), [b, c.zDim]),
      images,
      templates,
      wrongCaption: tf.tensor1d(wrongCaption, 'int32'),
      wrongTemplate: tf.tensor1d(wrongTemplate, 'int32'),
      exclude: tf.tensor2d(exclude, [b, n]),
      labels: tf.tensor1d(indices.map((p) => this.labels[p]), 'int32'),
      templateLabels: tf.tensor1d(indices.map((p) => this.templateLabels[p]), 'int32'),
      rng,
    };
  }

  /** x̄_i for a batch with the live generator (no gradients), e.g. to measure reconstruction error. */
  forwardImages(batch: Batch): tf.Tensor4D[] {
    const c = this.mcfg;
    return tf.tidy(() => {
      const t = textEncoder(o, this.store, c, batch.ids, batch.mask);
      const pool: Record<string, tf.Tensor> = { sentence: t.sentence, words: t.words, token_mask: batch.mask, noise: batch.noise };
      return c.imageSizes.map((s, i) => {
        pool[`template_${s}`] = batch.templates[s];
        const out = memeFaceStage(o, this.store, c, i, pool);
        pool[`h_${s}`] = out.h;
        return out.image as tf.Tensor4D;
      });
    });
  }

  /**
   * Reconstruction error of the live generator on a fixed evaluation set (the first ≤ 16 pairs,
   * fixed noise): mean |x̄_i − x_i| over stages. Logged at the start of the GAN phase and at
   * every GAN checkpoint.
   */
  async evalRecon(): Promise<number> {
    const n = Math.min(16, this.pairCount);
    const bs = Math.min(this.cfg.gan.batchSize, n);
    let total = 0;
    let count = 0;
    for (let k = 0; k + bs <= n; k += bs) {
      const batch = this.makeBatch(Array.from({ length: bs }, (_, i) => k + i), 'gan', -1 - k, 1, false);
      const v = tf.tidy(() => {
        const out = this.forwardImages(batch);
        return tf.addN(this.mcfg.imageSizes.map((s, i) => tf.mean(tf.abs(tf.sub(out[i], batch.images[s]))))).div(out.length);
      });
      total += (await v.data())[0]; // read asynchronously: webgpu cannot read synchronously in Node
      count++;
      v.dispose();
      disposeBatch(batch);
    }
    return total / count;
  }

  /** DAMSM pre-training step: words + sentence matching losses on real pairs (AttnGAN eq. 11–13). */
  async damsmStep(batch: Batch): Promise<Record<string, number>> {
    const c = this.mcfg;
    const largest = c.imageSizes[c.imageSizes.length - 1];
    const parts: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const t = textEncoder(o, this.store, c, batch.ids, batch.mask); // words [B, L, D], sentence [B, D]
      const img = damsmImageEncoder(o, this.store, c, batch.images[largest]); // regions [B, N, D], global [B, D]
      const w = matchingLoss(wordMatchScores(o, t.words, batch.mask, img.regions, batch.size) as tf.Tensor2D, batch.exclude);
      const s = matchingLoss(sentenceMatchScores(o, t.sentence, img.global) as tf.Tensor2D, batch.exclude);
      parts.damsm_words = tf.keep(w);
      parts.damsm_sent = tf.keep(s);
      return tf.add(w, s) as tf.Scalar;
    }, this.varList(this.freezeTextInDamsm ? ['damsm/'] : ['text/', 'damsm/']));
    this.optDamsm.apply(this.store.vars, grads);
    return this.readScalars({ damsm: value, ...parts });
  }

  /**
   * How many stages the GAN step at `globalStep` trains: all of them on every
   * gan.upperStageEvery-th step, else stage 0 alone (G_0, G'_0, D_0 and the text encoder).
   * Runs saved before the key existed train every stage on every step.
   */
  stagesAt(globalStep: number): number {
    const every = this.cfg.gan.upperStageEvery ?? 1;
    return globalStep % every === 0 ? this.mcfg.imageSizes.length : 1;
  }

  /**
   * GAN step: G's and D's gradients (eq. 1–2, gan-gradients.ts) from the same parameters, in this
   * thread or over the worker threads (startWorkers), then both Adam updates and the EMA, over
   * the first `stages` stages (the rest keep their weights and Adam moments this step).
   */
  async ganStep(batch: Batch, stages = this.mcfg.imageSizes.length, lrScale = 1, updateG = true): Promise<Record<string, number>> {
    const runner = (this.runner ??= await LocalGradientRunner.fromModule(
      { computeGradients: (params, b, phase) => ganBatchGradients(params, b, phase, this.ganOptions) },
      'gan-gradients',
    ));
    const phase = ganPhase({ stages, augSeed: Math.floor(batch.rng() * 2 ** 31), shardSize: batch.shardSize });
    const params: TensorMap = Object.fromEntries(this.store.vars);
    const { grads, losses } = await runner.computeGradients(params, shardToMap(batch), phase);
    const pick = (names: string[]) => Object.fromEntries(names.filter((n) => grads[n]).map((n) => [n, grads[n]]));
    if (updateG) this.optG.apply(this.store.vars, pick(this.ganOptions.gNames), lrScale); // not during gan.dWarmupSteps
    this.optD.apply(this.store.vars, pick(this.ganOptions.dNames), lrScale);
    if (updateG) this.ema.update(this.store.vars);
    tf.dispose(Object.values(grads));
    return losses;
  }

  /** What the GAN gradients need besides parameters and batch (plain data, cloned into workers). */
  get ganOptions(): GanGradientOptions {
    return (this.ganOptionsCache ??= {
      model: this.mcfg,
      gan: this.cfg.gan,
      classes: this.classes,
      templateClasses: this.templateClasses,
      gNames: this.emaPrefixes.flatMap((p) => this.names(p)),
      dNames: this.names('disc/'),
    });
  }

  /**
   * Runs the GAN gradients on `workers` worker threads (one wasm backend, one core each), each
   * on an equal share of the batch's shards; 1 = in this thread. The update is the same either
   * way (gan-gradients.ts), so a run may resume with another worker count.
   */
  async startWorkers(workers: number): Promise<void> {
    const shards = this.ganShards;
    if (!Number.isInteger(workers) || workers < 1 || shards % workers !== 0) {
      throw new ConfigError(`--workers must divide gan.shards (${shards}): each worker takes whole shards; got ${workers}.`);
    }
    await this.runner?.dispose();
    this.runner =
      workers === 1
        ? undefined
        : await DataParallelTrainer.create({ modulePath: new URL('./gan-gradients.ts', import.meta.url).href, moduleOptions: this.ganOptions, workers });
  }

  /** Shards per GAN batch (runs saved before gan.shards existed have one). */
  get ganShards(): number {
    return this.cfg.gan.shards ?? 1;
  }

  /** Reads scalar losses asynchronously (GPU backends cannot read synchronously in Node) and frees them. */
  private async readScalars(xs: Record<string, tf.Tensor>): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [k, t] of Object.entries(xs)) {
      out[k] = (await t.data())[0];
      t.dispose();
    }
    return out;
  }

  /** Live parameters by group prefix. */
  async weights(prefixes: string[]): Promise<WeightMap> {
    const out: WeightMap = new Map();
    for (const n of prefixes.flatMap((p) => this.names(p))) {
      const v = this.store.vars.get(n)!;
      out.set(n, { shape: v.shape.slice(), values: (await v.data()) as Float32Array });
    }
    return out;
  }

  /** The export set: EMA generator + the text encoder. */
  async exportWeights(): Promise<WeightMap> {
    const out = await this.weights(['text/']);
    for (const [k, v] of await this.ema.snapshot()) out.set(k, v);
    return out;
  }

  /** Generates with the EMA weights: one image per (template, seed) for one caption. Returns [B, S, S, 3] at the last stage. */
  async sample(caption: string, templateIds: string[], seeds: number[]): Promise<{ size: number; data: Float32Array; tokens: string[] }> {
    const c = this.mcfg;
    const tok = tokenize(caption, this.segment, this.vocab, this.settings);
    const combos = templateIds.flatMap((t) => seeds.map((s) => ({ t, s })));
    const b = combos.length;
    const params = new OverlayParams(this.ema.shadow as Map<string, tf.Tensor>, this.store.vars as Map<string, tf.Tensor>);
    const last = c.imageSizes[c.imageSizes.length - 1];
    const result = tf.tidy(() => {
      const ids = tf.tensor2d(Int32Array.from(combos.flatMap(() => Array.from(tok.ids))), [b, c.maxTokens], 'int32');
      const mask = tf.tensor2d(Float32Array.from(combos.flatMap(() => Array.from(tok.mask))), [b, c.maxTokens]);
      const noise = tf.tensor2d(Float32Array.from(combos.flatMap(({ s }) => Array.from(normalArray(mulberry32(s), c.zDim)))), [b, c.zDim]);
      const t = textEncoder(o, params, c, ids, mask);
      const pool: Record<string, tf.Tensor> = { sentence: t.sentence, words: t.words, token_mask: mask, noise };
      let image: tf.Tensor = tf.scalar(0);
      c.imageSizes.forEach((s, i) => {
        pool[`template_${s}`] = tf.tensor4d(Float32Array.from(combos.flatMap(({ t: id }) => Array.from(this.data.pattern(id, s)))), [b, s, s, 3]);
        const out = memeFaceStage(o, params, c, i, pool);
        pool[`h_${s}`] = out.h;
        image = out.image;
      });
      return image;
    });
    const data = (await result.data()) as Float32Array;
    result.dispose();
    return { size: last, data, tokens: tok.tokens.map((x) => x.text) };
  }

  async loadCheckpoint(dir: string, what: 'all' | 'encoders'): Promise<CheckpointState> {
    const state = readState(dir);
    const params = readWeights(dir, 'params');
    if (what === 'encoders') {
      for (const k of [...params.keys()]) if (!k.startsWith('text/') && !k.startsWith('damsm/')) params.delete(k);
    }
    this.store.load(params);
    if (what === 'encoders') return state;
    this.optDamsm.load(readWeights(dir, 'opt_damsm'), state.adamSteps.damsm ?? 0);
    if (existsSync(join(dir, 'opt_g.json'))) {
      this.optG.load(readWeights(dir, 'opt_g'), state.adamSteps.g ?? 0);
      this.optD.load(readWeights(dir, 'opt_d'), state.adamSteps.d ?? 0);
      const ema = readWeights(dir, 'ema');
      for (const k of [...ema.keys()]) if (!this.emaPrefixes.some((p) => k.startsWith(p))) ema.delete(k);
      this.ema.load(ema);
    }
    return state;
  }

  async saveCheckpoint(dir: string, state: CheckpointState): Promise<void> {
    const groups: Record<string, WeightMap> = {
      params: await this.weights(['text/', 'damsm/', 'gen/', 'disc/']),
      opt_damsm: await this.optDamsm.state(),
    };
    if (state.phase === 'gan') {
      groups.ema = await this.exportWeights();
      groups.opt_g = await this.optG.state();
      groups.opt_d = await this.optD.state();
    }
    writeCheckpoint(dir, { ...state, adamSteps: { damsm: this.optDamsm.t, g: this.optG.t, d: this.optD.t } }, groups);
  }

  async dispose(): Promise<void> {
    await this.runner?.dispose();
    this.runner = undefined;
    this.store.dispose();
    this.optG.dispose();
    this.optD.dispose();
    this.optDamsm.dispose();
    this.ema.dispose();
  }
}

export async function loadTrainingData(cfg: RunConfig): Promise<TrainingData> {
  const d = cfg.data.source === 'builtin'
    ? await builtinEmojiData(cfg.data.builtinStyles, cfg.data.builtinExpressions, cfg.model.imageSizes)
    : await corpusData(cfg.data.corpusDir);
  if (cfg.data.maxPairs > 0 && d.pairs.length > cfg.data.maxPairs) {
    const keep = epochOrder(d.pairs.length, cfg.seed, 'gan', -1).slice(0, cfg.data.maxPairs).sort((a, b) => a - b);
    d.pairs = keep.map((i) => d.pairs[i]);
  }
  return d;
}

export function segmenter(): Segmenter {
  return createSegmenter(jieba, []);
}

/**
 * Whether a checkpoint's config hash is `cfg`'s with a smaller GAN epoch count: a checkpoint
 * written before `--gan-epochs` extended the run, including when the extending sitting was killed
 * before its first checkpoint (config.json already holds the new count then).
 */
function writtenBeforeExtension(hash: string, cfg: RunConfig): boolean {
  for (let e = 1; e < cfg.gan.epochs; e++) if (configHash({ ...cfg, gan: { ...cfg.gan, epochs: e } }) === hash) return true;
  return false;
}

/**
 * Config keys a warm start (`TrainOptions.initFrom`) may change besides PARAMETER_FREE_MODEL_PATH;
 * the rest shape the model or its data. model.fillGate adds G'_i's gate convs, which start at the
 * shade's old behaviour (white), so it may be switched on only (ADD_ONLY_PARTS).
 */
const WARM_START_FREE = /^(name|checkpointEvery|logEvery|grid\..*|data\.flip|gan\.(?!templateCond$).*|model\.fillGate)$/;
/**
 * Parts a warm start may add but not drop, each with when a config has it. A class head exists on
 * D only while its weight is > 0; `model.fillGate` adds G'_i's gate convs, zero-initialised so the
 * shade starts at white as without them. Switching one on starts it fresh (the initialiser's
 * weights; Adam moments from zero, bias-corrected from their own first step, optim.ts); switching
 * one off would leave its trained weights unused, so it is fixed.
 */
const ADD_ONLY_PARTS: readonly [string, (c: RunConfig) => boolean][] = [
  ['gan.classWeight', (c) => c.gan.classWeight > 0],
  ['gan.templateClassWeight', (c) => c.gan.templateClassWeight > 0],
  ['model.fillGate', (c) => c.model.fillGate === true],
];

/** The config keys that differ between a warm start's source and `cfg` and that it may not change. */
export function fixedWarmStartKeys(source: RunConfig, cfg: RunConfig): string[] {
  const switchedOff = ADD_ONLY_PARTS.filter(([, has]) => has(source) && !has(cfg)).map(([key]) => key);
  // The template head on the upper stages' D_i (gan.templateClassPatches) is a head too: switching
  // it off while the head stays on D_0 would leave the upper stages' trained heads unused.
  if (source.gan.templateClassWeight > 0 && source.gan.templateClassPatches && cfg.gan.templateClassWeight > 0 && !cfg.gan.templateClassPatches) switchedOff.push('gan.templateClassPatches');
  // The seed orders the pairs and draws the noise from the warm start on; it picks the data only
  // when data.maxPairs takes a subset, so then it stays fixed.
  const seedFree = source.data.maxPairs === 0 && cfg.data.maxPairs === 0;
  return [...configDiff(source, cfg).filter((k) => !WARM_START_FREE.test(k) && !PARAMETER_FREE_MODEL_PATH.test(k) && !(seedFree && k === 'seed')), ...switchedOff];
}

export class WarmStartError extends Error {
  override name = 'WarmStartError';
}

/** The checkpoint a warm start from `sourceDir` loads; throws WarmStartError if `cfg` cannot go on from it. */
function warmStartCheckpoint(sourceDir: string, cfg: RunConfig, epoch?: number): string {
  // Resolved against today's defaults: a key added since the source ran compares as its default.
  const fixed = fixedWarmStartKeys(resolveConfig(readRunConfig(sourceDir), sourceDir), cfg);
  if (fixed.length) throw new WarmStartError(`Cannot start from ${sourceDir}: ${fixed.slice(0, 8).join(', ')} differ, and they shape the model or its data. Start from a run with the same model, data and text settings.`);
  const checkpoints = listCheckpoints(sourceDir);
  const from = epoch === undefined ? checkpoints.at(-1) : checkpoints.find((c) => c.epoch === epoch);
  if (!from && epoch !== undefined) throw new WarmStartError(`${sourceDir} has no epoch-${epoch} checkpoint; it has epochs ${checkpoints.map((c) => c.epoch).join(', ') || 'none'}. Pick one of those with --init-epoch.`);
  if (!from) throw new WarmStartError(`${sourceDir} has no GAN checkpoint to start from. Train it first, or pick another run.`);
  if (from.epoch >= cfg.gan.epochs) throw new WarmStartError(`${from.dir} is at GAN epoch ${from.epoch}; set gan.epochs above that to train on from it.`);
  return from.dir;
}

/** Loads a warm start's checkpoint into `trainer`; returns where the new run starts. */
async function warmStart(trainer: MemeFaceTrainer, checkpointDir: string) {
  const s = await trainer.loadCheckpoint(checkpointDir, 'all');
  return { phase: 'gan' as Phase, epoch: s.epoch, step: s.step, globalStep: s.globalStep, elapsed: s.elapsedSeconds };
}

/** Runs (or resumes) training. */
export async function train(opts: TrainOptions): Promise<TrainResult> {
  let cfg = opts.config;
  let runDir: string;
  let extendedFrom: RunConfig | undefined; // the run's config before --gan-epochs extended it
  let warmFrom: string | undefined; // the checkpoint a warm start (--init-from) goes on from
  if (opts.initFromExport && (opts.resumeDir || opts.initFrom || opts.damsmFrom || (opts.stage ?? 'all') !== 'all')) {
    throw new ConfigError('--init-from-export starts a fresh run with both phases (the DAMSM image encoder is retrained against the export\'s text encoder): use it without --resume, --init-from, --damsm or --stage.');
  }
  if (opts.resumeDir) {
    runDir = opts.resumeDir;
    const saved = readRunConfig(runDir);
    const diff = configDiff(saved, cfg);
    if (diff.length) {
      throw new ConfigMismatchError(
        `Cannot resume ${runDir} with a different config: ${diff.slice(0, 8).join(', ')} differ. Resume without --config, or start a new run.`,
      );
    }
    cfg = saved;
    if (opts.extendGanEpochs !== undefined) {
      if (!Number.isInteger(opts.extendGanEpochs) || opts.extendGanEpochs <= saved.gan.epochs) {
        throw new ConfigError(`Extending ${runDir}: the new GAN epoch count must be an integer above the run's ${saved.gan.epochs}, got ${opts.extendGanEpochs}.`);
      }
      extendedFrom = saved;
      cfg = { ...saved, gan: { ...saved.gan, epochs: opts.extendGanEpochs } };
    }
  } else {
    warmFrom = opts.initFrom ? warmStartCheckpoint(opts.initFrom, cfg, opts.initEpoch) : undefined; // before the run folder exists
    runDir = newRunDir(opts.runsRoot ?? 'training/runs', cfg);
  }
  const data = opts.data ?? (await loadTrainingData(cfg));
  if (data.pairs.length < Math.max(cfg.gan.batchSize, cfg.damsm.batchSize)) {
    throw new Error(`Only ${data.pairs.length} training pairs, fewer than one batch (${Math.max(cfg.gan.batchSize, cfg.damsm.batchSize)}).`);
  }
  const segment = segmenter();
  let vocab: RunVocab;
  if (opts.resumeDir) vocab = readRunVocab(runDir);
  else {
    const v = buildVocabulary(data.pairs.map((p) => p.caption), segment, cfg.text, cfg.text.minCount);
    // From an export: its token ids, which its text encoder's embedding rows follow.
    vocab = opts.initFromExport?.vocab ?? { settings: { maxTokens: cfg.text.maxTokens, maxChars: cfg.text.maxChars, lowercase: cfg.text.lowercase }, words: [...v.words], userDictionary: [] };
    if (opts.initFromExport) writeExportStartRecord(runDir, { model: opts.initFromExport.dir, modelVersion: opts.initFromExport.modelVersion });
    writeFileSync(join(runDir, 'config.json'), JSON.stringify(cfg, null, 1));
    writeFileSync(join(runDir, 'vocab.json'), JSON.stringify(vocab));
    mkdirSync(join(runDir, 'templates'), { recursive: true });
    const used = new Set(data.pairs.map((p) => p.template));
    const templates = data.templates.filter((t) => used.has(t.id));
    for (const t of templates) writeFileSync(join(runDir, 'templates', `${t.id}.png`), await data.templatePng(t.id));
    writeFileSync(join(runDir, 'templates.json'), JSON.stringify({ data: data.describe, pairs: data.pairs.length, templates: templates.map((t) => ({ ...t, png: `templates/${t.id}.png` })) }, null, 1));
  }

  const trainer = new MemeFaceTrainer(cfg, data, vocab, segment);
  trainer.freezeTextInDamsm = readExportStartRecord(runDir) !== null; // also when a run from an export resumes
  const log = (rec: object) => appendFileSync(join(runDir, 'log.jsonl'), JSON.stringify(rec) + '\n');
  const records: StepRecord[] = [];
  const evals: TrainResult['evals'] = [];
  const evaluate = async (epoch: number) => {
    const e = { epoch, recon_l1: await trainer.evalRecon() };
    evals.push(e);
    log({ event: 'eval', ...e });
  };
  try {
    if ((opts.workers ?? 1) > 1) {
      await trainer.startWorkers(opts.workers!);
      log({ event: 'workers', workers: opts.workers, shards: trainer.ganShards });
    }
    const stage = opts.stage ?? 'all';
    const phases: Phase[] = stage === 'all' ? ['damsm', 'gan'] : [stage];
    // Where to start: the latest checkpoint of this run, if any.
    let start: { phase: Phase; epoch: number; step: number; globalStep: number; elapsed: number } = { phase: phases[0], epoch: 0, step: 0, globalStep: 0, elapsed: 0 };
    const latestGan = listCheckpoints(runDir).pop();
    const latestDamsm = listDamsmCheckpoints(runDir).pop();
    const latest = latestGan ?? latestDamsm;
    if (latest) {
      const s = await trainer.loadCheckpoint(latest.dir, 'all');
      // Checkpoints written before an extension carry the pre-extension config's hash.
      if (s.configHash !== configHash(cfg) && !writtenBeforeExtension(s.configHash, cfg)) throw new ConfigMismatchError(`Checkpoint ${latest.dir} was written with another config (hash ${s.configHash}).`);
      start = { phase: s.phase, epoch: s.epoch, step: s.step, globalStep: s.globalStep, elapsed: s.elapsedSeconds };
      if (s.phase === 'damsm' && s.epoch >= cfg.damsm.epochs && phases.includes('gan')) start = { ...start, phase: 'gan', epoch: 0, step: 0 };
      log({ event: 'resume', from: latest.dir, ...start });
      if (extendedFrom) {
        writeFileSync(join(runDir, 'config.json'), JSON.stringify(cfg, null, 1));
        log({ event: 'extend', ganEpochs: { from: extendedFrom.gan.epochs, to: cfg.gan.epochs } });
      }
    } else if (warmFrom) {
      start = await warmStart(trainer, warmFrom);
      writeWarmStartRecord(runDir, { sourceRun: opts.initFrom!, epoch: start.epoch });
      log({ event: 'init', from: warmFrom, ...start });
    } else if (opts.initFromExport) {
      trainer.loadGeneratorWeights(opts.initFromExport.weights);
      log({ event: 'init-export', from: opts.initFromExport.dir, modelVersion: opts.initFromExport.modelVersion });
    } else if (opts.damsmFrom) {
      const d = listDamsmCheckpoints(opts.damsmFrom).pop();
      if (!d) throw new Error(`${opts.damsmFrom} has no DAMSM checkpoint.`);
      await trainer.loadCheckpoint(d.dir, 'encoders');
      log({ event: 'encoders', from: d.dir });
    }
    // A warm start (--init-from) brings the encoders with the rest of its checkpoint.
    if (phases[0] === 'gan' && !latest && !warmFrom && !opts.damsmFrom && cfg.gan.lambdaDamsm > 0) {
      log({ event: 'warning', message: 'GAN without a pre-trained DAMSM: the text and image encoders stay at their random init.' });
    }
    const t0 = Date.now();
    let invocationSteps = 0;
    let stopped: TrainResult['stopped'] = 'done';
    let globalStep = start.globalStep;
    for (const phase of phases) {
      if (phases.indexOf(phase) < phases.indexOf(start.phase)) continue;
      const epochs = phase === 'damsm' ? cfg.damsm.epochs : cfg.gan.epochs;
      const batchSize = phase === 'damsm' ? cfg.damsm.batchSize : cfg.gan.batchSize;
      const epochPairs = cfg.data.pairsPerEpoch > 0 ? Math.min(cfg.data.pairsPerEpoch, trainer.pairCount) : trainer.pairCount;
      const stepsPerEpoch = Math.floor(epochPairs / batchSize);
      const resumeHere = phase === start.phase;
      let epoch = resumeHere ? start.epoch : 0;
      let step = resumeHere ? start.step : 0;
      if (epoch >= epochs) continue;
      if (phase === 'gan' && epoch === 0 && step === 0) {
        trainer.startGan();
        await evaluate(0);
      }
      const bar = new ProgressBar(phase, (epochs - epoch) * stepsPerEpoch, opts.quiet ? null : process.stderr, start.elapsed);
      for (; epoch < epochs; epoch++) {
        const order = epochOrder(trainer.pairCount, cfg.seed, phase, epoch);
        for (let k = 0; k < stepsPerEpoch; k++) {
          if (opts.maxSteps !== undefined && invocationSteps >= opts.maxSteps) {
            stopped = 'maxSteps';
            log({ event: 'stop', reason: 'maxSteps', phase, epoch, step });
            return { runDir, records, stopped, evals };
          }
          const ts = Date.now();
          const batch = trainer.makeBatch(order.slice(k * batchSize, (k + 1) * batchSize), phase, globalStep, phase === 'gan' ? trainer.ganShards : 1);
          const losses = phase === 'damsm'
            ? await trainer.damsmStep(batch)
            : await trainer.ganStep(batch, trainer.stagesAt(globalStep), ganLrScale(cfg.gan, epoch + k / stepsPerEpoch), epoch * stepsPerEpoch + k >= cfg.gan.dWarmupSteps);
          disposeBatch(batch);
          step++;
          globalStep++;
          invocationSteps++;
          const rec: StepRecord = {
            phase,
            epoch,
            step,
            globalStep,
            losses,
            imgPerSec: batchSize / Math.max((Date.now() - ts) / 1000, 1e-3),
            elapsed: start.elapsed + (Date.now() - t0) / 1000,
          };
          records.push(rec);
          opts.onStep?.(rec);
          if (step % cfg.logEvery === 0 || k === stepsPerEpoch - 1) log(rec);
          const main = phase === 'damsm' ? `damsm ${losses.damsm.toFixed(3)}` : `G ${losses.g.toFixed(3)} D ${losses.d.toFixed(3)} L1 ${losses.recon_l1.toFixed(3)}`;
          bar.tick(batchSize, `ep ${epoch + 1}/${epochs} ${main}`);
        }
        const done = epoch + 1;
        const timeUp = opts.maxMinutes !== undefined && (Date.now() - t0) / 60000 >= opts.maxMinutes;
        if (done % cfg.checkpointEvery === 0 || done === epochs || timeUp) {
          const dir = join(runDir, 'checkpoints', checkpointDirName(phase, done));
          await trainer.saveCheckpoint(dir, {
            phase,
            epoch: done,
            step,
            globalStep,
            rng: { seed: cfg.seed, step: globalStep },
            adamSteps: {},
            configHash: configHash(cfg),
            savedAt: new Date().toISOString(),
            elapsedSeconds: start.elapsed + (Date.now() - t0) / 1000,
          });
          log({ event: 'checkpoint', dir: join('checkpoints', checkpointDirName(phase, done)), phase, epoch: done, step });
          if (phase === 'gan') await evaluate(done);
          if (phase === 'gan') await renderGrid(trainer, join(runDir, 'samples', `epoch_${String(done).padStart(4, '0')}.png`));
        }
        if (timeUp && done < epochs) {
          log({ event: 'stop', reason: 'maxMinutes', phase, epoch: done, step });
          return { runDir, records, stopped: 'time', evals };
        }
      }
      start = { ...start, phase: 'gan', epoch: 0, step: 0 };
    }
    log({ event: 'done' });
    return { runDir, records, stopped, evals };
  } finally {
    await trainer.dispose();
  }
}
