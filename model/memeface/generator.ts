import type { Ops, Params } from '../ops/types';
import { conv, dense, downsampleTo, upsample2x } from '../layers';
import { EDIT_MASK_BLENDS, MemeFaceConfigError, type EditSharpness, type MemeFaceConfig } from './config';
import { conditioningAugmentation } from './text';

const lrelu = <T>(o: Ops<T>, x: T) => o.leakyRelu(x, 0.2);

/** Up-sampling block: nearest ×2, 3×3 conv, leaky ReLU. [B, H, W, C] → [B, 2H, 2W, out]. */
function upBlock<T>(o: Ops<T>, p: Params<T>, name: string, x: T, out: number): T {
  return lrelu(o, conv(o, p, name, upsample2x(o, x), out, 3));
}

/** Residual block: x + conv(lrelu(conv(x))). [B, H, W, C] → same. */
function resBlock<T>(o: Ops<T>, p: Params<T>, name: string, x: T): T {
  const c = o.shape(x)[3];
  const y = conv(o, p, `${name}/c2`, lrelu(o, conv(o, p, `${name}/c1`, x, c, 3)), c, 3);
  return lrelu(o, o.add(x, y));
}

/** Broadcast a per-sample vector v [B, K] over the spatial grid of x [B, H, W, *] → [B, H, W, K]. */
function tileLike<T>(o: Ops<T>, v: T, x: T): T {
  const k = o.shape(v)[1];
  const ones = o.add(o.mul(o.slice(x, [0, 0, 0, 0], [-1, -1, -1, 1]), o.scalar(0)), o.scalar(1)); // [B, H, W, 1]
  return o.mul(ones, o.reshape(v, [-1, 1, 1, k])); // [B, H, W, K]
}

/** DF-GAN-style affine text fusion: x ⊙ (1 + γ(ĉ)) + β(ĉ). x: [B, H, W, C], sentence [B, D] → [B, H, W, C]. */
function film<T>(o: Ops<T>, p: Params<T>, name: string, x: T, sentence: T): T {
  const c = o.shape(x)[3];
  const gamma = dense(o, p, `${name}/film_gamma`, sentence, c); // [B, C]
  const beta = dense(o, p, `${name}/film_beta`, sentence, c); // [B, C]
  return o.add(o.mul(x, o.add(tileLike(o, gamma, x), o.scalar(1))), tileLike(o, beta, x));
}

/**
 * SPADE-style template modulation of G_0 (`stage0Template`): h ⊙ (1 + γ(P)) + β(P), with γ, β
 * read off the template at h's size by two 3×3 convs and zero-initialised 1×1 heads (so training
 * starts from plain G_0). Without it x̂_0 is drawn from [z, c] alone and cannot know where this
 * template's eyes and mouth are; G'_0 then fuses it with P by 1×1 convs only.
 * h: [B, S, S, C], template: [B, S0, S0, 3] → [B, S, S, C].
 */
function templateModulation<T>(o: Ops<T>, p: Params<T>, name: string, h: T, template: T): T {
  const [, s, , c] = o.shape(h);
  const pattern = downsampleTo(o, template, s); // P at h's size: [B, S, S, 3]
  let t = lrelu(o, conv(o, p, `${name}/c1`, pattern, 16, 3)); // [B, S, S, 16]
  t = lrelu(o, conv(o, p, `${name}/c2`, t, 16, 3)); // [B, S, S, 16]: a 5×5 view of the template
  const gamma = conv(o, p, `${name}/gamma`, t, c, 1, 1, 'same', { kind: 'zeros' }); // [B, S, S, C]
  const beta = conv(o, p, `${name}/beta`, t, c, 1, 1, 'same', { kind: 'zeros' }); // [B, S, S, C]
  return o.add(o.mul(h, o.add(gamma, o.scalar(1))), beta);
}

/** Stage 0's hidden width at the 4×4 seed and each ×2 level: 8C, 4C, 2C, 2C, C... never below C. */
function stage0Widths(cfg: MemeFaceConfig): number[] {
  const levels = Math.log2(cfg.imageSizes[0] / 4);
  const c = cfg.channels[0];
  return Array.from({ length: levels + 1 }, (_, k) => Math.max(c, c * 8 >> k)).map((w, k) => (k === levels ? c : w));
}

/**
 * G_0 (AttnGAN F_0): x̂_0 = F_0([z, c]) — FC to 4×4, then up-sampling blocks to imageSizes[0]
 * (with `stage0Template`, each block modulated by the template P_0: templateModulation).
 * Returns x̂_0 [B, S0, S0, C0] and the CA statistics for the KL term.
 */
export function stage0Features<T>(o: Ops<T>, p: Params<T>, cfg: MemeFaceConfig, sentence: T, noise: T, template?: T): { h: T; mu: T; logvar: T } {
  if (cfg.stage0Template && !template) throw new MemeFaceConfigError('model config: stage0Template needs the template P_0 as an input of G_0; pass template_<S0> to stage 0.');
  const { c, mu, logvar } = conditioningAugmentation(o, p, cfg, sentence, noise); // [B, caDim]
  const widths = stage0Widths(cfg);
  const code = o.concat([noise, c], 1); // [B, Z + caDim]
  let h = lrelu(o, dense(o, p, 'gen/s0/fc', code, 16 * widths[0])); // [B, 16·W0]
  h = o.reshape(h, [-1, 4, 4, widths[0]]); // [B, 4, 4, W0]
  for (let k = 1; k < widths.length; k++) {
    h = upBlock(o, p, `gen/s0/up${k}`, h, widths[k]); // [B, 4·2^k, 4·2^k, Wk]
    if (cfg.stage0Template) h = templateModulation(o, p, `gen/s0/tmpl${k}`, h, template!); // where P's features are
    if (cfg.stage0Film) h = film(o, p, `gen/s0/film${k}`, h, sentence); // ĉ straight into G_0, not only through F^ca
  }
  return { h, mu, logvar }; // h: [B, S0, S0, C0]
}

/**
 * AttnGAN's attention model F^attn (eq. 4–5): words e [B, L, D] are projected to the hidden width
 * (U e), each region h_j attends over the words with a softmax masked at padding, and the word-context
 * c_j = Σ_l β_{j,l} e'_l is returned. h: [B, H, W, C] → context [B, H, W, C], β [B, H·W, L].
 */
export function wordAttention<T>(o: Ops<T>, p: Params<T>, name: string, h: T, words: T, mask: T): { context: T; attn: T } {
  const [, hh, ww, c] = o.shape(h);
  const [, l, d] = o.shape(words);
  const u = p.get(`${name}/proj`, [d, c], { kind: 'normal', std: 1 / Math.sqrt(d) });
  const e = o.reshape(o.matMul(o.reshape(words, [-1, d]), u), [-1, l, c]); // [B, L, C]
  const q = o.reshape(h, [-1, hh * ww, c]); // [B, N, C]
  const scores = o.matMul(q, e, false, true); // [B, N, L]
  const bias = o.reshape(o.mul(o.sub(mask, o.scalar(1)), o.scalar(1e4)), [-1, 1, l]); // [B, 1, L]: −1e4 at padding
  const attn = o.softmax(o.add(scores, bias)); // [B, N, L], eq. (4)
  const context = o.reshape(o.matMul(attn, e), [-1, hh, ww, c]); // [B, H, W, C], eq. (5)
  return { context, attn };
}

/**
 * G_i for i ≥ 1 (AttnGAN eq. 2): x̂_i = F_i([x̂_{i−1}, F_i^attn(e, x̂_{i−1})]).
 * h: [B, S/2, S/2, C_{i−1}] → x̂_i [B, S, S, C_i] and attention β up-sampled to [B, S·S, L].
 */
export function stageFeatures<T>(o: Ops<T>, p: Params<T>, cfg: MemeFaceConfig, i: number, h: T, words: T, mask: T, sentence: T): { h: T; attn: T } {
  const name = `gen/s${i}`;
  const [, hs, , cp] = o.shape(h);
  const { context, attn } = wordAttention(o, p, `${name}/attn`, h, words, mask); // [B, S/2, S/2, Cp], [B, N, L]
  let x = lrelu(o, conv(o, p, `${name}/join`, o.concat([h, context], 3), cp, 3)); // [B, S/2, S/2, Cp]
  if (cfg.fusion === 'film') x = film(o, p, name, x, sentence);
  for (let r = 0; r < cfg.resBlocks; r++) x = resBlock(o, p, `${name}/res${r}`, x); // [B, S/2, S/2, Cp]
  const out = upBlock(o, p, `${name}/up`, x, cfg.channels[i]); // [B, S, S, C_i]
  const l = o.shape(words)[1];
  const attnMap = o.reshape(o.resizeNearest(o.reshape(attn, [-1, hs, hs, l]), [2 * hs, 2 * hs]), [-1, 4 * hs * hs, l]); // [B, S·S, L]
  return { h: out, attn: attnMap };
}

/**
 * The paper's editing component G'_i: down-sample the template pattern P_i and x̂_i to the same
 * size (S / editDown), concatenate, fuse with an MLP of 1×1 convs, then up-sampling blocks
 * produce x̄_i. With `templateSkip`, template features join each up-sampling level (U-Net path);
 * with `blend: 'mask'`, x̄_i = P_i + m ⊙ (rgb − P_i), with `blend: 'residual'`, x̄_i = tanh(atanh(P_i) + Δ):
 * both keep most of the template.
 * template: [B, S, S, 3] in [-1, 1], x̂: [B, S, S, C] → x̄_i [B, S, S, 3] in [-1, 1].
 * wholeTemplate: the whole template (any size) that `shadeInk` and `shadeFill` read the ink and the
 * fill from; training passes it because its upper stages see only a patch of the template.
 * Defaults to `template`.
 */
export function editingComponent<T>(o: Ops<T>, p: Params<T>, cfg: MemeFaceConfig, i: number, template: T, xhat: T, wholeTemplate: T = template): EditOutput<T> {
  const name = `gen/edit${i}`;
  const s = o.shape(xhat)[1];
  const ec = cfg.editChannels[i];
  const levels = Math.log2(cfg.editDown);
  const pattern = downsampleTo(o, template, s); // P_i: [B, S, S, 3]
  // Template path: strided 3×3 convs, S → S / editDown; each level is kept for the U-Net path.
  const skips: T[] = [pattern];
  let t = pattern;
  for (let k = 0; k < levels; k++) {
    t = lrelu(o, conv(o, p, `${name}/tmpl${k}`, t, Math.max(8, ec >> (levels - 1 - k)), 3, 2)); // [B, S/2^(k+1), ·, ·]
    skips.push(t);
  }
  const x = cfg.editDown > 1 ? o.avgPool(xhat, cfg.editDown, cfg.editDown) : xhat; // [B, S/d, S/d, C]
  let f = o.concat([t, x], 3); // [B, S/d, S/d, ·]
  f = lrelu(o, conv(o, p, `${name}/mlp0`, f, ec, 1)); // 1×1 conv MLP
  f = lrelu(o, conv(o, p, `${name}/mlp1`, f, ec, 1)); // [B, S/d, S/d, ec]
  for (let k = levels - 1; k >= 0; k--) {
    f = upsample2x(o, f); // [B, S/2^k, ·, ·]
    if (cfg.templateSkip) f = o.concat([f, skips[k]], 3);
    f = lrelu(o, conv(o, p, `${name}/up${k}`, f, Math.max(8, ec >> (levels - k)), 3));
  }
  if (cfg.blend === 'residual') {
    // x̄ = tanh(atanh(0.98·P) + Δ): an edit in logit space that starts at the template (Δ ≈ 0) and,
    // unlike a sigmoid gate, cannot close for good (its gradient never vanishes away from ±1).
    const q = o.mul(pattern, o.scalar(0.98));
    const atanhP = o.mul(o.log(o.div(o.add(o.scalar(1), q), o.sub(o.scalar(1), q))), o.scalar(0.5)); // [B, S, S, 3]
    const delta = conv(o, p, `${name}/delta`, f, 3, 3); // [B, S, S, 3]
    return { image: o.tanh(o.add(atanhP, delta)) };
  }
  if (cfg.blend === 'palette') return { image: paletteBlend(o, conv(o, p, `${name}/palette`, f, 7, 3), pattern) };
  if (cfg.blend === 'palette-ink') return { image: paletteBlend(o, conv(o, p, `${name}/palette`, f, 3, 3), pattern) };
  const { rgb, colourMask } = editColour(o, p, cfg, name, f, pattern, wholeTemplate); // [B, S, S, 3]
  if (!EDIT_MASK_BLENDS.includes(cfg.blend)) return { image: rgb }; // 'none': the paper's x̄ = rgb
  const maskLogit = o.add(conv(o, p, `${name}/mask`, f, 1, 3), o.scalar(-1)); // ℓ: [B, S, S, 1], starts mostly "keep"
  const m = o.sigmoid(cfg.editSharpness ? sharpenedLogit(o, maskLogit, cfg.editSharpness) : maskLogit); // [B, S, S, 1]
  const image = o.add(pattern, o.mul(m, o.sub(rgb, pattern))); // x̄_i = P + m ⊙ (rgb − P): [B, S, S, 3]
  return { image: cfg.snapMono ? snapMonochrome(o, cfg, image, pattern, wholeTemplate) : image, colourMask, editMask: m };
}

/**
 * `model.editSharpness` (set at export, or trained with): gain · (ℓ − logit threshold), so that
 * σ of it is a steeper step through the mask's value `threshold`. ℓ: [B, S, S, 1] → same.
 */
export function sharpenedLogit<T>(o: Ops<T>, logit: T, s: EditSharpness): T {
  return o.mul(o.sub(logit, o.scalar(Math.log(s.threshold / (1 - s.threshold)))), o.scalar(s.gain));
}

/** Steepness of `snapMono`'s soft steps (a step of 0.05 in [-1, 1] units moves one from 0.01 to 0.99). */
const SNAP_GAIN = 100;
/** `snapMono` acts on templates whose colour gate κ is below this (monochrome ones read ≈ 0, coloured ones ≈ 1). */
const SNAP_MONO_MAX = 0.2;
/** …and on the pixels the edit moved more than this from P (mean over channels, [-1, 1] units; 0.1 on a 0..1 scale). */
const SNAP_EDIT_MIN = 0.2;

/**
 * `model.snapMono` (an export option, never trained): on a monochrome template an edit's soft
 * greys come out as ink or paper, so a stroke drawn on a line drawing is a stroke. Each pixel the
 * edit moved (|x̄ − P| > SNAP_EDIT_MIN) goes to the template's ink if x̄ is darker than mid-grey,
 * else to white; pixels the edit left alone, and every coloured template, are untouched. The steps
 * are steep sigmoids, so the graph needs no new op:
 * x̄' = x̄ + mono(κ) · edited · (ink + white · (1 − ink) − x̄).
 * κ and the ink are read from the whole template at stage 0's size, as `shadeInk` reads them.
 * image, pattern P: [B, S, S, 3]; wholeTemplate: [B, ·, ·, 3] → [B, S, S, 3].
 */
export function snapMonochrome<T>(o: Ops<T>, cfg: MemeFaceConfig, image: T, pattern: T, wholeTemplate: T): T {
  const whole = downsampleTo(o, wholeTemplate, cfg.imageSizes[0]); // [B, S0, S0, 3]
  const step = (x: T, at: number) => o.sigmoid(o.mul(o.sub(x, o.scalar(at)), o.scalar(SNAP_GAIN)));
  const mono = step(o.neg(colourGate(o, whole)), -SNAP_MONO_MAX); // [B, 1, 1, 1]: 1 where κ < SNAP_MONO_MAX
  const diff = o.sub(image, pattern);
  const edited = step(o.mean(o.maximum(diff, o.neg(diff)), [3], true), SNAP_EDIT_MIN); // [B, S, S, 1]
  const white = step(o.mean(image, [3], true), 0); // [B, S, S, 1]: 1 where x̄ is lighter than mid-grey
  const ink = templateInk(o, whole); // [B, 1, 1, 3]
  const snapped = o.add(ink, o.mul(white, o.sub(o.scalar(1), ink))); // [B, S, S, 3]
  return o.add(image, o.mul(o.mul(mono, edited), o.sub(snapped, image)));
}

/** G'_i's image, the mask blends' edit mask m, and (blend 'mask-shade-colour') the gated free-colour mask. */
export interface EditOutput<T> {
  image: T; // x̄_i [B, S, S, 3] in [-1, 1]
  editMask?: T; // m [B, S, S, 1] in [0, 1]: where the template is edited (the mask blends)
  colourMask?: T; // [B, S, S, 1] in [0, 1]
}

/**
 * The mask blend's colour: absolute (tanh of a 3-channel conv), or relative to P with one s per
 * channel ('mask-relative') or one s for all three ('mask-shade'), or that shade with a gated free
 * colour on top ('mask-shade-colour'). f: [B, S, S, ·] → rgb [B, S, S, 3].
 */
function editColour<T>(o: Ops<T>, p: Params<T>, cfg: MemeFaceConfig, name: string, f: T, pattern: T, wholeTemplate: T): { rgb: T; colourMask?: T } {
  const to = shadeTargets(o, cfg, wholeTemplate);
  const light = cfg.fillGate ? lightTarget(o, p, name, f, to.fill!) : to.fill; // [B, S, S, 3], or [B, 1, 1, 3] / absent
  if (cfg.blend === 'mask-relative') return { rgb: relativeColour(o, pattern, o.tanh(conv(o, p, `${name}/rgb`, f, 3, 3)), to.ink, light) }; // s: [B, S, S, 3]
  const shade = () => relativeColour(o, pattern, o.tanh(conv(o, p, `${name}/shade`, f, 1, 3)), to.ink, light); // s: [B, S, S, 1]
  if (cfg.blend === 'mask-shade') return { rgb: shade() };
  if (cfg.blend === 'mask-shade-colour') return shadeWithColour(o, p, name, f, pattern, shade(), cfg.colourGateWhole ? wholeTemplate : pattern);
  return { rgb: o.tanh(conv(o, p, `${name}/rgb`, f, 3, 3)) };
}

/** Offset of `fillGate`'s logit, so that the gate starts at sigmoid(−4) ≈ 0.02: white, as without it. */
const FILL_GATE_OFFSET = -4;

/**
 * `model.fillGate`: the light end of the shade, per pixel, white + g · (fill − white) with
 * g = sigmoid(conv(f) − 4). The conv is zero-initialised, so a warm start from a model without
 * the gate lightens toward white as before and learns where erasing in the face's colour pays.
 * f: [B, S, S, ·], fill: [B, 1, 1, 3] → [B, S, S, 3].
 */
function lightTarget<T>(o: Ops<T>, p: Params<T>, name: string, f: T, fill: T): T {
  const g = o.sigmoid(o.add(conv(o, p, `${name}/fillgate`, f, 1, 3, 1, 'same', { kind: 'zeros' }), o.scalar(FILL_GATE_OFFSET))); // [B, S, S, 1]
  const one = o.scalar(1);
  return o.add(one, o.mul(g, o.sub(fill, one))); // [B, S, S, 3]
}

/** Where the shading blends move P: toward the ink (s < 0) and the fill (s > 0); absent = black and white. */
interface ShadeTargets<T> {
  ink?: T; // [B, 1, 1, 3]
  fill?: T; // [B, 1, 1, 3]
}

/** The template's ink (`shadeInk`) and fill (`shadeFill`, `fillGate`), read from the whole template at stage 0's size. */
function shadeTargets<T>(o: Ops<T>, cfg: MemeFaceConfig, wholeTemplate: T): ShadeTargets<T> {
  if (!cfg.shadeInk && !cfg.shadeFill && !cfg.fillGate) return {};
  const whole = downsampleTo(o, wholeTemplate, cfg.imageSizes[0]); // [B, S0, S0, 3]
  return {
    ink: cfg.shadeInk ? templateInk(o, whole) : undefined,
    fill: cfg.shadeFill || cfg.fillGate ? templateFill(o, whole) : undefined,
  };
}

/** How fast the colour gate opens with P's chroma: mono templates (0) stay shut, colour ones (≥ 0.1) open fully. */
const COLOUR_GATE_GAIN = 40;

/**
 * `blend: 'mask-shade-colour'`: rgb = shade + c ⊙ (colour − shade), where shade is 'mask-shade's
 * move of P toward white or black, colour = tanh(conv) is free, and the colour mask
 * c = sigmoid(conv − 2) · κ(P) starts mostly shut. κ(P) = tanh(40 · mean over pixels of the
 * variance across P's channels) is 0 on a monochrome template (it has no hue to draw in) and ≈ 1
 * on a coloured one. Attempt AB's shade alone kept the template's hue but could not draw tears,
 * blush or hearts; training keeps c sparse (`gan.colourMaskWeight`), so the free colour is used
 * only where shading cannot draw the target, not to paint the mean emoji's orange.
 * gatedBy is what κ reads: P, or with `colourGateWhole` the whole template.
 * pattern P, shade: [B, S, S, 3], gatedBy: [B, ·, ·, 3] → rgb [B, S, S, 3], colourMask [B, S, S, 1].
 */
function shadeWithColour<T>(o: Ops<T>, p: Params<T>, name: string, f: T, pattern: T, shade: T, gatedBy: T): { rgb: T; colourMask: T } {
  const colour = o.tanh(conv(o, p, `${name}/rgb`, f, 3, 3)); // [B, S, S, 3]
  const gate = colourGate(o, gatedBy); // [B, 1, 1, 1]
  const colourMask = o.mul(o.sigmoid(o.add(conv(o, p, `${name}/cmask`, f, 1, 3), o.scalar(-2))), gate); // [B, S, S, 1]
  return { rgb: o.add(shade, o.mul(colourMask, o.sub(colour, shade))), colourMask };
}

/** κ(P) ∈ [0, 1): how coloured the template is. pattern: [B, S, S, 3] → [B, 1, 1, 1]. */
export function colourGate<T>(o: Ops<T>, pattern: T): T {
  const grey = o.mean(pattern, [3], true); // [B, S, S, 1]
  const variance = o.mean(o.square(o.sub(pattern, grey)), [1, 2, 3], true); // [B, 1, 1, 1]
  return o.tanh(o.mul(variance, o.scalar(COLOUR_GATE_GAIN)));
}

/**
 * The template's ink: a soft arg-min of luminance over its pixels, i.e. the colour of its darkest
 * strokes (fxemoji's slate, twemoji's brown, a line drawing's black). pattern: [B, S, S, 3] → [B, 1, 1, 3].
 */
export function templateInk<T>(o: Ops<T>, pattern: T): T {
  return o.reshape(softInk(o, pattern), [-1, 1, 1, 3]);
}

/** Soft arg-min of luminance over all pixels. pattern: [B, S, S, 3] → [B, 1, 3]. */
function softInk<T>(o: Ops<T>, pattern: T): T {
  const s = o.shape(pattern)[1];
  const n = s * s;
  const flat = o.reshape(pattern, [-1, n, 3]); // [B, N, 3]
  const lum = o.reshape(o.mean(pattern, [3], false), [-1, 1, n]); // [B, 1, N]
  return o.matMul(o.softmax(o.mul(lum, o.scalar(-PALETTE_SHARPNESS))), flat); // [B, 1, 3]
}

/** The template's fill (its face colour). pattern: [B, S, S, 3] → [B, 1, 1, 3]. */
export function templateFill<T>(o: Ops<T>, pattern: T): T {
  return o.reshape(softFill(o, pattern), [-1, 1, 1, 3]);
}

/**
 * The template's fill: softly, the colour nearest the mean of its centre half (a face's skin, a
 * line drawing's paper). pattern: [B, S, S, 3] → [B, 1, 3].
 */
function softFill<T>(o: Ops<T>, pattern: T): T {
  const s = o.shape(pattern)[1];
  const n = s * s;
  const centre = o.slice(pattern, [0, s / 4, s / 4, 0], [-1, s / 2, s / 2, 3]); // [B, S/2, S/2, 3]
  const centreFlat = o.reshape(centre, [-1, n / 4, 3]); // [B, N/4, 3]
  const centreMean = o.mean(centreFlat, [1], true); // [B, 1, 3]
  const distance = o.reshape(o.sum(o.square(o.sub(centreFlat, centreMean)), [2], false), [-1, 1, n / 4]); // [B, 1, N/4]
  return o.matMul(o.softmax(o.mul(distance, o.scalar(-PALETTE_SHARPNESS))), centreFlat); // [B, 1, 3]
}

/**
 * `blend: 'mask-relative'` and `'mask-shade'`: the edit's colour as a move from the template's own colour,
 * rgb = P + relu(s)·(1 − P) − relu(−s)·(1 + P), s ∈ (−1, 1) per channel: s = 0 keeps P, s → 1
 * goes to white and s → −1 to black, so rgb stays in [−1, 1] with no clipping. With the plain
 * mask blend the mask region is painted in an absolute colour, which the corpus's majority
 * families turn into the mean emoji's orange on every template (attempts H–W: template fidelity
 * 0% on emojione-mono); here "darken for a mouth" is the same s on every template and comes
 * out brown on yellow, black on white.
 * With s [B, S, S, 1] ('mask-shade') one s moves all three channels, so the hue stays P's.
 * With the template's ink k (`shadeInk`), s → −1 goes to k instead of black:
 * rgb = P + relu(s)·(1 − P) − relu(−s)·(P − k). With its fill f (`shadeFill`), s → 1 goes to f
 * instead of white, so an edit can erase the template's own features (an eye that the caption's
 * face has shut) in the face's colour, where white left pale blotches: rgb = P + relu(s)·(f − P) − ….
 * pattern P: [B, S, S, 3], s: [B, S, S, 3 or 1], ink k: [B, 1, 1, 3], fill f: [B, 1, 1, 3] or, per
 * pixel (`fillGate`), [B, S, S, 3] → rgb [B, S, S, 3].
 */
export function relativeColour<T>(o: Ops<T>, pattern: T, s: T, ink?: T, fill?: T): T {
  const one = o.scalar(1);
  const towardLight = o.mul(o.relu(s), o.sub(fill ?? one, pattern)); // 1 − P, or f − P [B, S, S, 3]
  const darkest = ink ? o.sub(pattern, ink) : o.add(one, pattern); // P − k, or P − (−1) [B, S, S, 3]
  const towardDark = o.mul(o.relu(o.neg(s)), darkest); // [B, S, S, 3]
  return o.sub(o.add(pattern, towardLight), towardDark);
}

/** Sharpness of the soft arg-min/arg-max over pixels that picks the template's colours. */
const PALETTE_SHARPNESS = 20;

/**
 * `blend: 'palette'`: x̄ = w_keep·P + w_fill·fill + w_ink·ink + w_free·free, w = softmax over
 * four per-pixel logits. fill and ink are the template's own colours (its dominant colour near
 * the centre, and its darkest colour), so a stroke drawn with "ink" is black on a monochrome
 * face and brown on a yellow one: the edit takes the style of whichever template it is drawn
 * on, which a free rgb output learns only slowly (issue 9, attempt H painted every template in
 * the mean emoji's orange). The free colour (tanh) covers tears, blush and hearts.
 * out: [B, S, S, 7] = 4 logits + 3 free-colour channels; pattern P: [B, S, S, 3] → x̄ [B, S, S, 3].
 * With `out` [B, S, S, 3] (`blend: 'palette-ink'`) there is no free colour: the three logits
 * mix P, fill and ink only (attempt K used the free colour to paint the mean emoji's yellow back on).
 */
export function paletteBlend<T>(o: Ops<T>, out: T, pattern: T): T {
  const s = o.shape(pattern)[1];
  const ink = softInk(o, pattern); // [B, 1, 3]
  const fill = softFill(o, pattern); // [B, 1, 3]
  // Per-pixel weights; the "keep" logit starts 2 higher, so x̄ starts near P (weight ≈ 0.71 of 4 colours, 0.79 of 3).
  const withFree = o.shape(out)[3] === 7;
  const k = withFree ? 4 : 3; // colours mixed per pixel
  const keep = o.add(o.slice(out, [0, 0, 0, 0], [-1, s, s, 1]), o.scalar(2)); // [B, S, S, 1]
  const logits = o.concat([keep, o.slice(out, [0, 0, 0, 1], [-1, s, s, k - 1])], 3); // [B, S, S, K]
  const w = o.softmax(logits); // [B, S, S, K]
  const colour = (c: T) => o.reshape(c, [-1, 1, 1, 3]); // [B, 1, 1, 3]
  const weight = (j: number) => o.slice(w, [0, 0, 0, j], [-1, s, s, 1]); // [B, S, S, 1]
  const mix = o.add(o.add(o.mul(weight(0), pattern), o.mul(weight(1), colour(fill))), o.mul(weight(2), colour(ink))); // [B, S, S, 3]
  if (!withFree) return mix;
  const free = o.tanh(o.slice(out, [0, 0, 0, 4], [-1, s, s, 3])); // [B, S, S, 3]
  return o.add(mix, o.mul(weight(3), free)); // [B, S, S, 3]
}
