/**
 * The GAN step's gradients (paper eq. 1–2) as a pure function of (parameters, batch): what the
 * trainer runs in its own thread, or what each worker thread runs on its share of the batch
 * (training/engine's gradient-module interface: setup + computeGradients).
 *
 * A batch is `gan.shards` shards of equal size. The terms that compare samples (L_DAMSM's
 * matching over the batch, the mismatched captions and templates) compare within a shard only,
 * and the gradients are the mean over shards. So the update is the same whether one thread runs
 * the shards one after the other or two threads run one each (PyTorch DDP's per-device batch).
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's ESM entry registers no gradients; the union package's Node build does.
import '@tensorflow/tfjs';
import { eagerOps as o } from '../../model/ops/eager';
import type { Params } from '../../model/ops/types';
import { mulberry32 } from '../../model/rng';
import type { MemeFaceConfig } from '../../model/memeface/config';
import { memeFaceStage } from '../../model/memeface/architecture';
import { textEncoder } from '../../model/memeface/text';
import { discriminator } from '../../model/memeface/discriminator';
import { damsmImageEncoder, sentenceMatchScores, wordMatchScores } from '../../model/memeface/damsm';
import type { GradientResult, TensorMap } from '../engine/parallel/protocol';
import type { RunConfig } from './config';
import { classLoss, diffAugment, dLoss, edgeL1, editWeightedL1, gLoss, klLoss, l1, maskRegulariser, matchingLoss, stageConsistencyL1 } from './losses';
import { OverlayParams } from './optim';
import { cropToWindow, cropWindow, discriminatorClasses, patchWindows, templateDiscriminatorClasses } from './patches';

/** What every call needs besides parameters and batch (plain data: it is cloned into each worker). */
export interface GanGradientOptions {
  model: MemeFaceConfig;
  gan: RunConfig['gan'];
  /** Classes of D's expression classifier on whole images (0 = none). */
  classes: number;
  /** Templates of D's template classifier on whole images (0 = none). */
  templateClasses: number;
  /** G's optimiser's parameters (the generator, and the text encoder when it trains end to end). */
  gNames: string[];
  /** D's parameters. */
  dNames: string[];
}

/**
 * One shard's tensors, as the batch map carries them (keys below). Index tensors and `exclude`
 * are shard-local: `wrong_caption[i]` is a row of the same shard, `exclude` is [B, shardSize].
 */
export interface GanShard {
  ids: tf.Tensor2D; // [b, L] int32
  mask: tf.Tensor2D; // [b, L]
  noise: tf.Tensor2D; // [b, Z]
  images: Record<number, tf.Tensor4D>; // [b, S, S, 3]
  templates: Record<number, tf.Tensor4D>; // [b, S, S, 3]
  wrongCaption: tf.Tensor1D; // int32 [b]
  wrongTemplate: tf.Tensor1D; // int32 [b]
  exclude: tf.Tensor2D; // [b, b]: 1 where an off-diagonal pair is not a negative
  labels: tf.Tensor1D; // int32 [b]
  templateLabels: tf.Tensor1D; // int32 [b]: the pair's template, for the template classifier
}

export interface GanPhase {
  /** Train the first `stages` stages (gan.upperStageEvery). */
  stages: number;
  /** Seeds the batch's patch windows and augmentation. */
  augSeed: number;
  /** Rows per shard: cross-sample terms compare within a shard. */
  shardSize: number;
}

/** The phase string of a GAN step (the gradient-module interface passes phases as strings). */
export function ganPhase(p: GanPhase): string {
  return `gan:${p.stages}:${p.augSeed}:${p.shardSize}`;
}

function parsePhase(phase: string): GanPhase {
  const m = /^gan:(\d+):(-?\d+):(\d+)$/.exec(phase);
  if (!m) throw new Error(`MemeFace GAN gradients: unknown phase "${phase}"; expected gan:<stages>:<seed>:<shard size>.`);
  return { stages: Number(m[1]), augSeed: Number(m[2]), shardSize: Number(m[3]) };
}

/** Batch-map keys of the tensors that hold one row per sample. */
export function shardToMap(s: GanShard): TensorMap {
  const out: TensorMap = {
    ids: s.ids,
    mask: s.mask,
    noise: s.noise,
    wrong_caption: s.wrongCaption,
    wrong_template: s.wrongTemplate,
    exclude: s.exclude,
    labels: s.labels,
    template_labels: s.templateLabels,
  };
  for (const [size, t] of Object.entries(s.images)) out[`image_${size}`] = t;
  for (const [size, t] of Object.entries(s.templates)) out[`template_${size}`] = t;
  return out;
}

/** Rows [start, start + n) of a batch map as a shard. */
function shardFromMap(batch: TensorMap, sizes: number[], start: number, n: number): GanShard {
  const rows = <T extends tf.Tensor>(t: tf.Tensor) => tf.slice(t, [start], [n]) as T;
  return {
    ids: rows(batch.ids),
    mask: rows(batch.mask),
    noise: rows(batch.noise),
    images: Object.fromEntries(sizes.map((s) => [s, rows<tf.Tensor4D>(batch[`image_${s}`])])),
    templates: Object.fromEntries(sizes.map((s) => [s, rows<tf.Tensor4D>(batch[`template_${s}`])])),
    wrongCaption: rows(batch.wrong_caption),
    wrongTemplate: rows(batch.wrong_template),
    exclude: rows(batch.exclude),
    labels: rows(batch.labels),
    templateLabels: rows(batch.template_labels),
  };
}

let options: GanGradientOptions | null = null;

/** Gradient-module set-up: once per worker thread (and once for the in-thread runner). */
export function setup(o: GanGradientOptions): void {
  options = o;
}

/** Gradient-module entry (worker threads): ganBatchGradients with the options from setup. */
export function computeGradients(params: TensorMap, batch: TensorMap, phase: string): GradientResult {
  if (!options) throw new Error('MemeFace GAN gradients: setup(options) was not called.');
  return ganBatchGradients(params, batch, phase, options);
}

/**
 * The mean over the batch's shards of G's and D's gradients (keyed by parameter name;
 * parameters a stage-limited step does not reach have none) and of the losses.
 */
export function ganBatchGradients(params: TensorMap, batch: TensorMap, phase: string, opts: GanGradientOptions): GradientResult {
  const { stages, augSeed, shardSize } = parsePhase(phase);
  const rows = batch.ids.shape[0];
  if (rows % shardSize !== 0) throw new Error(`A batch of ${rows} rows is not a whole number of ${shardSize}-row shards (gan.shards).`);
  const count = rows / shardSize;
  const results = Array.from({ length: count }, (_, k) =>
    ganShardGradients(params, opts, shardFromMap(batch, opts.model.imageSizes, k * shardSize, shardSize), stages, augSeed),
  );
  return count === 1 ? results[0] : meanOfResults(results);
}

function meanOfResults(results: GradientResult[]): GradientResult {
  const mean = (xs: (tf.Tensor | number)[]) => tf.div(tf.addN(xs.map((x) => (typeof x === 'number' ? tf.scalar(x) : x))), xs.length);
  const grads: TensorMap = {};
  for (const name of Object.keys(results[0].grads)) grads[name] = mean(results.map((r) => r.grads[name]));
  const losses: Record<string, tf.Tensor> = {};
  for (const name of Object.keys(results[0].losses)) losses[name] = mean(results.map((r) => r.losses[name]));
  return { grads, losses };
}

/** Gradients of `loss` with respect to `names` (those it reaches), the rest of the parameters held fixed. */
function gradsOf(params: TensorMap, names: string[], loss: (p: Params<tf.Tensor>) => tf.Scalar): { value: tf.Scalar; grads: TensorMap } {
  const xs = names.map((n) => params[n] ?? missing(n));
  const lookup = paramLookup(params);
  // allowNoGradients: a stage-limited step leaves the upper stages' parameters without a gradient (as tf.variableGrads does).
  const { value, grads } = tf.engine().gradients(() => loss(lookup), xs, undefined, true);
  const out: TensorMap = {};
  names.forEach((n, i) => {
    if (grads[i] != null) out[n] = grads[i];
  });
  return { value: value as tf.Scalar, grads: out };
}

/** The model's view of a parameter map: by name, shape-checked (the trainer's own lookup). */
function paramLookup(params: TensorMap): Params<tf.Tensor> {
  return new OverlayParams(new Map(Object.entries(params)), new Map());
}

function missing(name: string): never {
  throw new Error(`Parameter ${name} is not in the parameter map; the trainer creates every parameter before training.`);
}

/**
 * One shard's GAN step: G's loss (eq. 1: adversarial + λ·L_DAMSM + KL [+ recon, + class]), then
 * D's loss (eq. 2), both from the same parameters, over the first `stages` stages.
 */
export function ganShardGradients(params: TensorMap, opts: GanGradientOptions, b: GanShard, stages: number, augSeed: number): GradientResult {
  const c = { ...opts.model, imageSizes: opts.model.imageSizes.slice(0, stages) };
  const g = opts.gan;
  const fixed = paramLookup(params);
  const size = b.ids.shape[0];
  // Text features outside the gradient tape: L_DAMSM and D score against these.
  const text = textEncoder(o, fixed, c, b.ids, b.mask); // words [b, L, D], sentence [b, D]
  const wrongSentence = tf.gather(text.sentence, b.wrongCaption); // [b, D]
  // Patch training: stages above gan.patchSize see one random window per batch (patches.ts).
  const windows = patchWindows(c.imageSizes, g.patchSize, mulberry32(augSeed ^ 0x2545f491));
  const classesFor = (i: number) => discriminatorClasses(windows[i], opts.classes);
  const templateClassesFor = (i: number) => templateDiscriminatorClasses(windows[i], opts.templateClasses, g.templateClassPatches);
  const reals = c.imageSizes.map((s, i) => cropToWindow(b.images[s], windows[i])); // [b, P, P, 3]
  const tmpls = c.imageSizes.map((s, i) => cropToWindow(b.templates[s], windows[i]));
  // L_DAMSM scores the largest image that is generated whole.
  const damsmStage = windows.reduce((best, w, i) => (w ? best : i), 0);
  const fakes: tf.Tensor4D[] = [];
  const parts: Record<string, tf.Tensor> = {};

  const gStep = gradsOf(params, opts.gNames, (p) => {
    // With gan.trainTextEncoder, G's loss also trains the text encoder (end to end); L_DAMSM
    // below still scores against the detached features, so it cannot move the text side.
    const live = g.trainTextEncoder ? textEncoder(o, p, c, b.ids, b.mask) : text;
    // whole_template: stages above patchSize see a patch; the shade targets (shadeInk, shadeFill) read the whole template.
    const pool: Record<string, tf.Tensor> = { sentence: live.sentence, words: live.words, token_mask: b.mask, noise: b.noise, whole_template: b.templates[c.imageSizes[0]] };
    let adv: tf.Tensor = tf.scalar(0);
    let kl: tf.Tensor = tf.scalar(0);
    let recon: tf.Tensor = tf.scalar(0);
    let cls: tf.Tensor = tf.scalar(0);
    let tcls: tf.Tensor = tf.scalar(0);
    let colourMask: tf.Tensor = tf.scalar(0);
    let maskTv: tf.Tensor = tf.scalar(0);
    let maskMean: tf.Tensor = tf.scalar(0);
    let consistency: tf.Tensor = tf.scalar(0);
    let below: tf.Tensor4D | undefined; // x̄_{i−1}, as stage i−1 generated it (whole or its patch)
    const regulariseMask = g.editMaskTvWeight > 0 || g.editMaskMeanWeight > 0;
    let finalImage: tf.Tensor | undefined;
    const augRng = mulberry32(augSeed);
    c.imageSizes.forEach((s, i) => {
      const w = windows[i];
      if (w) {
        const prev = `h_${c.imageSizes[i - 1]}`;
        pool[prev] = cropWindow(pool[prev] as tf.Tensor4D, w.inY, w.inX, w.size / 2); // [b, P/2, P/2, C_{i−1}]
      }
      pool[`template_${s}`] = tmpls[i];
      const out = memeFaceStage(o, p, c, i, pool); // x̄_i [b, S, S, 3] (or [b, P, P, 3])
      pool[`h_${s}`] = out.h;
      fakes.push(tf.keep(out.image.clone()) as tf.Tensor4D); // kept past the gradient call's own tidy, for D's step
      if (out.mu && out.logvar) kl = klLoss(out.mu, out.logvar);
      if (out.colourMask && g.colourMaskWeight > 0) colourMask = tf.add(colourMask, tf.mean(out.colourMask)); // sparse free colour: Σ_i mean(c_i)
      if (out.editMask && regulariseMask) {
        const r = maskRegulariser(out.editMask as tf.Tensor4D); // solid, local edits: Σ_i TV(m_i), Σ_i mean(m_i)
        maskTv = tf.add(maskTv, r.tv);
        maskMean = tf.add(maskMean, r.mean);
      }
      const seen = g.diffAugment ? diffAugment([out.image as tf.Tensor4D], augRng, g.diffAugmentPolicy)[0] : out.image;
      const d = discriminator(o, p, c, i, seen, live.sentence, tmpls[i], classesFor(i), templateClassesFor(i));
      // Paper eq. (1): −½E[log D_i(x̄_i)] − ½E[log D_i(x̄_i, ĉ)] (+ the template condition).
      let term = tf.add(tf.mul(0.5, gLoss(d.uncond, g.loss)), tf.mul(0.5, gLoss(d.cond, g.loss)));
      if (g.templateCond) term = tf.add(term, tf.mul(0.5, gLoss(d.tmpl, g.loss)));
      adv = tf.add(adv, term);
      if (d.cls) cls = tf.add(cls, classLoss(d.cls as tf.Tensor2D, b.labels)); // AC-GAN: x̄_i should show the caption's expression
      if (d.tcls) tcls = tf.add(tcls, classLoss(d.tcls as tf.Tensor2D, b.templateLabels)); // … in the requested template's style
      if (g.reconWeight > 0) recon = tf.add(recon, editWeightedL1(out.image as tf.Tensor4D, reals[i], tmpls[i], g.reconEditWeight));
      if (g.reconWeight > 0 && g.reconEdgeWeight > 0) recon = tf.add(recon, tf.mul(g.reconEdgeWeight, edgeL1(out.image as tf.Tensor4D, reals[i], tmpls[i], g.reconEditWeight)));
      if (g.stageConsistencyWeight > 0 && below && (g.stageConsistencyStages === 'all' || i === 1)) {
        const crop = w ? cropWindow(below, w.inY, w.inX, w.size / 2) : below; // the part of x̄_{i−1} stage i redraws
        consistency = tf.add(consistency, stageConsistencyL1(out.image as tf.Tensor4D, crop, g.stageConsistencyPool));
      }
      below = out.image as tf.Tensor4D;
      if (i === damsmStage) finalImage = out.image;
    });
    let damsm: tf.Tensor = tf.scalar(0);
    if (g.lambdaDamsm > 0) {
      const img = damsmImageEncoder(o, p, c, finalImage!); // regions [b, N, D], global [b, D]
      damsm = tf.add(
        matchingLoss(wordMatchScores(o, text.words, b.mask, img.regions, size) as tf.Tensor2D, b.exclude),
        matchingLoss(sentenceMatchScores(o, text.sentence, img.global) as tf.Tensor2D, b.exclude),
      );
    }
    parts.g_adv = tf.keep(adv);
    parts.g_damsm = tf.keep(damsm);
    parts.kl = tf.keep(kl);
    const terms = [adv, tf.mul(g.lambdaDamsm, damsm), tf.mul(g.klWeight, kl), tf.mul(g.reconWeight, recon)];
    if (opts.classes > 0) {
      parts.g_cls = tf.keep(cls);
      terms.push(tf.mul(g.classWeight, cls));
    }
    if (opts.templateClasses > 0) {
      parts.g_tcls = tf.keep(tcls);
      terms.push(tf.mul(g.templateClassWeight, tcls));
    }
    if (g.colourMaskWeight > 0) {
      parts.g_cmask = tf.keep(colourMask);
      terms.push(tf.mul(g.colourMaskWeight, colourMask));
    }
    if (g.stageConsistencyWeight > 0) {
      parts.g_stage = tf.keep(consistency);
      terms.push(tf.mul(g.stageConsistencyWeight, consistency));
    }
    if (regulariseMask) {
      parts.g_mtv = tf.keep(maskTv);
      parts.g_mmean = tf.keep(maskMean);
      terms.push(tf.mul(g.editMaskTvWeight, maskTv), tf.mul(g.editMaskMeanWeight, maskMean));
    }
    return tf.addN(terms) as tf.Scalar;
  });

  // D sees G's images as constants: the tape above is closed, so nothing flows back into G.
  const dStep = gradsOf(params, opts.dNames, (p) => {
    const dAugRng = mulberry32(augSeed ^ 0x5bd1e995);
    let total: tf.Tensor = tf.scalar(0);
    let dCls: tf.Tensor = tf.scalar(0);
    let dTcls: tf.Tensor = tf.scalar(0);
    c.imageSizes.forEach((_, i) => {
      let real: tf.Tensor = reals[i];
      let fake: tf.Tensor = fakes[i];
      if (g.diffAugment) [real, fake] = diffAugment([real as tf.Tensor4D, fake as tf.Tensor4D], dAugRng, g.diffAugmentPolicy);
      const tmpl = tmpls[i];
      const r = discriminator(o, p, c, i, real, text.sentence, tmpl, classesFor(i), templateClassesFor(i));
      const f = discriminator(o, p, c, i, fake, text.sentence, tmpl);
      const w = discriminator(o, p, c, i, real, wrongSentence, tmpl);
      const realTerms = [dLoss(r.uncond, true, g.loss), dLoss(r.cond, true, g.loss)];
      const fakeTerms = [dLoss(f.uncond, false, g.loss), dLoss(f.cond, false, g.loss), dLoss(w.cond, false, g.loss)];
      if (g.templateCond) {
        const wt = discriminator(o, p, c, i, real, text.sentence, tf.gather(tmpl, b.wrongTemplate));
        realTerms.push(dLoss(r.tmpl, true, g.loss));
        fakeTerms.push(dLoss(f.tmpl, false, g.loss), dLoss(wt.tmpl, false, g.loss));
      }
      // AttnGAN's discriminator_loss: mean of the real terms + mean of the fake/mismatched terms.
      total = tf.add(total, tf.add(tf.div(tf.addN(realTerms), realTerms.length), tf.div(tf.addN(fakeTerms), fakeTerms.length)));
      // AC-GAN's class term, on real images only, so that D's classifier learns from true expressions.
      if (r.cls) dCls = tf.add(dCls, classLoss(r.cls as tf.Tensor2D, b.labels));
      if (r.tcls) dTcls = tf.add(dTcls, classLoss(r.tcls as tf.Tensor2D, b.templateLabels));
    });
    // Runs saved before gan.classWeight or gan.templateClassWeight existed have neither term.
    if (opts.classes > 0) {
      parts.d_cls = tf.keep(dCls);
      total = tf.add(total, tf.mul(g.classWeight, dCls));
    }
    if (opts.templateClasses > 0) {
      parts.d_tcls = tf.keep(dTcls);
      total = tf.add(total, tf.mul(g.templateClassWeight, dTcls));
    }
    return total as tf.Scalar;
  });

  const recon = tf.div(tf.addN(c.imageSizes.map((_, i) => l1(fakes[i], reals[i]))), c.imageSizes.length);
  // Kept tensors escape every tidy: hand out tracked copies and free the kept ones here.
  const losses: Record<string, tf.Tensor> = { g: gStep.value, d: dStep.value, recon_l1: recon };
  for (const [name, t] of Object.entries(parts)) losses[name] = t.clone();
  tf.dispose([...fakes, ...Object.values(parts)]);
  return { grads: { ...gStep.grads, ...dStep.grads }, losses };
}
