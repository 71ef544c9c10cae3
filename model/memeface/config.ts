/**
 * MemeFaceGenerator hyper-parameters (the model part of a run config).
 * The paper's setting is `fusion: 'concat'`, `templateSkip: false`, `blend: 'none'`; the
 * other values are the improvements issue 5 allows behind switches.
 */
/** G'_i's blends (`MemeFaceConfig.blend` says what each does). */
export const BLENDS = ['mask', 'residual', 'none', 'palette', 'palette-ink', 'mask-relative', 'mask-shade', 'mask-shade-colour'] as const;
export type Blend = (typeof BLENDS)[number];

/** The blends whose G'_i predicts an edit mask m (x̄_i = P + m ⊙ (rgb − P)): the ones a mask regulariser can act on. */
export const EDIT_MASK_BLENDS: readonly Blend[] = ['mask', 'mask-relative', 'mask-shade', 'mask-shade-colour'];
/** Blends whose edit colour is a shade of the template (`shadeInk`, `shadeFill` and `fillGate` pick where the shade darkens and lightens toward). */
export const SHADING_BLENDS: readonly Blend[] = ['mask-relative', 'mask-shade', 'mask-shade-colour'];

/** `MemeFaceConfig.editSharpness`: the edit mask read as σ(gain · (ℓ − logit threshold)) instead of σ(ℓ). */
export interface EditSharpness {
  /** Steepness (> 0; 1 with threshold 0.5 is the trained mask). */
  gain: number;
  /** The trained mask value that becomes 0.5, in (0, 1). */
  threshold: number;
}

export interface MemeFaceConfig {
  vocabSize: number;
  /** Token positions the bi-LSTM is unrolled over (padding is masked). */
  maxTokens: number;
  /** Word embedding size. */
  wordDim: number;
  /** Text feature size D: word features e [B, L, D] and sentence vector ĉ [B, D]; D/2 per LSTM direction. */
  textDim: number;
  /** Conditioning Augmentation output size (c). */
  caDim: number;
  /** Noise length. Its first `caDim` entries double as the CA's ε, so one seed fixes the whole sample. */
  zDim: number;
  /** Stage output sizes, e.g. [64, 128, 256]; each stage doubles the previous one. */
  imageSizes: number[];
  /** Hidden channels of x̂_i per stage. */
  channels: number[];
  /** Width of the editing component G'_i per stage. */
  editChannels: number[];
  /** G'_i down-samples P_i and x̂_i by this factor (a power of two) before fusing. */
  editDown: number;
  /** Residual blocks after word-attention fusion in stages ≥ 1. */
  resBlocks: number;
  /** How text enters stages ≥ 1: AttnGAN's concat of [h, context], or DF-GAN style FiLM from ĉ on top of it. */
  fusion: 'concat' | 'film';
  /**
   * FiLM from ĉ at every up-sampling level of G_0 too (stage 0 otherwise sees the text only through
   * F^ca, whose KL term can squeeze it out: issue 9's attempts B/C). Absent = false.
   */
  stage0Film?: boolean;
  /**
   * SPADE-style modulation of every up-sampling level of G_0 by the template P_0, so that x̂_0 is
   * drawn where this template's features are (generator.ts templateModulation). Absent = false.
   */
  stage0Template?: boolean;
  /**
   * The shading blends ('mask-relative', 'mask-shade', 'mask-shade-colour') darken toward the
   * template's own ink, its darkest colour (read from the whole template at stage 0's size),
   * instead of toward black: a mouth drawn on fxemoji comes out in its slate, on twemoji in its
   * brown, on a line-drawn face in black. It adds no parameters. Absent = false.
   */
  shadeInk?: boolean;
  /**
   * The shading blends lighten toward the template's own fill, the colour of its face (read from
   * the whole template at stage 0's size), instead of toward white: erasing a feature the caption's
   * face lacks leaves the face's colour, not a pale blotch. White (teeth, eye whites) is then the
   * free colour's job ('mask-shade-colour'). It adds no parameters. Absent = false.
   */
  shadeFill?: boolean;
  /**
   * The shading blends lighten toward white or toward the template's fill, picked per pixel by a
   * learned gate g = sigmoid(conv − 4) (one 3×3 conv on G'_i's features, zero-initialised):
   * the light end is white + g · (fill − white). Eye whites and teeth need white; erasing a
   * feature the caption's face lacks (an open eye, the neutral mouth) needs the face's colour,
   * where white leaves the pale blotches of attempts AP–BE, and `shadeFill`, fill everywhere,
   * lost the white (attempt AS). The gate starts at white (g ≈ 0.02), so a model trained without
   * it starts where it was: a warm start may switch it on. Excludes `shadeFill`. Absent = false.
   */
  fillGate?: boolean;
  /**
   * 'mask-shade-colour' only: the free colour's gate κ(P) reads the whole template, as the ink and
   * the fill do, instead of the pattern the stage sees. In training, stages above
   * `gan.patchSize` see a patch of the template, whose chroma is not the whole face's; at inference
   * the pattern is the whole template, so this changes nothing there. Absent = false.
   */
  colourGateWhole?: boolean;
  /**
   * An export option, never trained (a run config that sets it is rejected): on a monochrome
   * template (colour gate κ < 0.2) every pixel an edit moved goes to the template's ink or to
   * white, so the edit's soft greys come out as strokes (generator.ts snapMonochrome). Needs a
   * mask blend. `npm run export -- --snap-mono`. Absent = false.
   */
  snapMono?: boolean;
  /**
   * An export option, never trained (a run config that sets it is rejected): each upper stage's
   * image keeps the detail its resolution adds and takes everything coarser from the stage below
   * (a Laplacian pyramid on stage 0's picture; architecture.ts coarseFromBelow). Stage i's graph
   * then reads image_<S/2> as well. `npm run export -- --coarse-from-below`. Absent = false.
   */
  coarseFromBelow?: boolean;
  /**
   * Every stage's edit mask m = σ(ℓ) is read as σ(gain · (ℓ − logit threshold)), so a pixel the
   * model half-edits is either edited or left alone. Soft masks leave half-blended smudges that
   * read as another family's shading (fluent-color's as fluent-3d's); a threshold below 0.5 keeps
   * the faint edits that carry the expression (docs/TRAINING.md, *Sharper edit masks (BT)*). Set
   * at export (`npm run export -- --sharpen-edits <gain>@<threshold>`, the shipped default's
   * 4@0.3); a run config may train with it too, though that did not help (BU). It adds no
   * parameters. Needs a mask blend. Absent = σ(ℓ).
   */
  editSharpness?: EditSharpness;
  /** U-Net path: template features skip into G'_i's up-sampling blocks. */
  templateSkip: boolean;
  /**
   * 'none' (the paper): x̄ = rgb. 'mask': x̄ = P + m ⊙ (rgb − P) with a predicted mask m.
   * 'residual': x̄ = tanh(atanh(0.98·P) + Δ), an edit of the template in logit space.
   * 'palette': x̄ = a per-pixel mix of P, the template's fill colour, its ink (darkest) colour and
   * one free colour, so that an edit comes out in the template's own colours (generator.ts).
   * 'palette-ink': the same without the free colour: every edit is the template's fill or ink.
   * 'mask-relative': the mask blend with rgb written relative to P: each channel moves from P's
   * value toward white or black, so an untrained or unsure edit keeps the template's colour.
   * 'mask-shade': the same with one s for all three channels: an edit only lightens or darkens
   * the template's own colour (its hue stays), so it cannot paint a colour the template lacks.
   * 'mask-shade-colour': 'mask-shade' plus a free colour behind a second, sparse mask that is shut
   * on monochrome templates: tears, blush and hearts on coloured faces, greys on monochrome ones.
   */
  blend: Blend;
  /** Discriminator base width. */
  ndf: number;
  /** DAMSM image encoder width and input size (images are average-pooled to it). */
  damsmChannels: number;
  damsmImageSize: number;
}

export class MemeFaceConfigError extends Error {
  override name = 'MemeFaceConfigError';
}

/** Structural checks the layers rely on; messages name the offending key. */
export function checkMemeFaceConfig(c: MemeFaceConfig): void {
  const fail = (m: string) => {
    throw new MemeFaceConfigError(`model config: ${m}`);
  };
  if (c.textDim % 2) fail(`textDim must be even (two LSTM directions), got ${c.textDim}`);
  if (c.zDim < c.caDim) fail(`zDim (${c.zDim}) must be ≥ caDim (${c.caDim}): the CA's ε is the noise's first caDim entries`);
  if (!c.imageSizes.length) fail('imageSizes is empty');
  if (c.imageSizes[0] < 8 || Math.log2(c.imageSizes[0]) % 1) fail(`imageSizes[0] must be a power of two ≥ 8, got ${c.imageSizes[0]}`);
  c.imageSizes.forEach((s, i) => {
    if (i && s !== 2 * c.imageSizes[i - 1]) fail(`imageSizes must double per stage, got [${c.imageSizes}]`);
  });
  for (const k of ['channels', 'editChannels'] as const) {
    if (c[k].length !== c.imageSizes.length) fail(`${k} needs one entry per stage (${c.imageSizes.length}), got ${c[k].length}`);
  }
  if (c.editDown < 1 || Math.log2(c.editDown) % 1 || c.imageSizes[0] / c.editDown < 4) fail(`editDown must be a power of two leaving ≥ 4 px at stage 0, got ${c.editDown}`);
  for (const key of ['shadeInk', 'shadeFill', 'fillGate'] as const) {
    if (c[key] && !SHADING_BLENDS.includes(c.blend)) fail(`${key} needs a shading blend (${SHADING_BLENDS.join(', ')}), got "${c.blend}": it would change nothing`);
  }
  if (c.fillGate && c.shadeFill) fail('fillGate and shadeFill both set where the shade lightens toward: shadeFill always the fill, fillGate white or the fill per pixel; keep one');
  if (c.colourGateWhole && c.blend !== 'mask-shade-colour') fail(`colourGateWhole needs blend "mask-shade-colour" (the only blend with a colour gate), got "${c.blend}"`);
  if (c.snapMono && !EDIT_MASK_BLENDS.includes(c.blend)) fail(`snapMono needs a mask blend (${EDIT_MASK_BLENDS.join(', ')}), got "${c.blend}": only they say which pixels an edit moved`);
  if (c.editSharpness) {
    const { gain, threshold } = c.editSharpness;
    if (!EDIT_MASK_BLENDS.includes(c.blend)) fail(`editSharpness needs a mask blend (${EDIT_MASK_BLENDS.join(', ')}), got "${c.blend}": only they have an edit mask`);
    if (!(gain > 0 && Number.isFinite(gain))) fail(`editSharpness.gain must be a positive number, got ${gain}`);
    if (!(threshold > 0 && threshold < 1)) fail(`editSharpness.threshold must lie strictly between 0 and 1, got ${threshold}`);
  }
  if (c.imageSizes.some((s) => s % c.damsmImageSize) || c.damsmImageSize < 16) fail(`damsmImageSize must be ≥ 16 and divide every image size, got ${c.damsmImageSize}`);
}
