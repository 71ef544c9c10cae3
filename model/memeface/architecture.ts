import type { Architecture, GraphSpec } from '../architecture';
import type { Ops, Params } from '../ops/types';
import type { MemeFaceConfig } from './config';
import { editingComponent, stage0Features, stageFeatures } from './generator';
import { downsampleTo } from '../layers';
import { textEncoder } from './text';

export interface StageOutputs<T> {
  image: T; // x̄_i [B, S, S, 3] in [-1, 1]
  h: T; // x̂_i [B, S, S, C_i]
  attn?: T; // [B, S·S, L] (stages ≥ 1)
  editMask?: T; // the mask blends: where G'_i edits the template, m [B, S, S, 1]
  colourMask?: T; // blend 'mask-shade-colour': the free colour's mask [B, S, S, 1]
  mu?: T; // CA statistics (stage 0) [B, caDim]
  logvar?: T;
}

/**
 * Named stage inputs: sentence [B, D], words [B, L, D], token_mask [B, L], noise [B, Z], template_S,
 * h_<S/2>, and (training only, where template_S is a patch) whole_template, the whole template.
 */
export type StageInputs<T> = Record<string, T>;

/**
 * One stage of MemeFaceGenerator: x̂_i by G_i (AttnGAN), then x̄_i = G'_i(P_i, x̂_i) (paper §3.2).
 * Used as is by training (eager) and by the exporter (graph).
 */
export function memeFaceStage<T>(o: Ops<T>, p: Params<T>, cfg: MemeFaceConfig, i: number, x: StageInputs<T>): StageOutputs<T> {
  const size = cfg.imageSizes[i];
  if (i === 0) {
    const { h, mu, logvar } = stage0Features(o, p, cfg, x.sentence, x.noise, x[`template_${size}`]); // [B, S0, S0, C0]
    return { ...editingComponent(o, p, cfg, 0, x[`template_${size}`], h, x.whole_template), h, mu, logvar };
  }
  const prevSize = cfg.imageSizes[i - 1];
  const prev = x[`h_${prevSize}`]; // [B, S/2, S/2, C_{i−1}]
  const { h, attn } = stageFeatures(o, p, cfg, i, prev, x.words, x.token_mask, x.sentence);
  const edit = editingComponent(o, p, cfg, i, x[`template_${size}`], h, x.whole_template);
  const image = cfg.coarseFromBelow ? coarseFromBelow(o, edit.image, x[`image_${prevSize}`]) : edit.image;
  return { ...edit, image, h, attn };
}

/**
 * `model.coarseFromBelow` (an export option): x̄'_i = x̄_i − up(down(x̄_i)) + up(x̄'_{i−1}), a
 * Laplacian pyramid whose coarse level is stage 0's picture. Stage i keeps only the detail its
 * resolution adds (crisp strokes, the template's line work) and takes everything coarser from the
 * stage below, so x̄'_i read at stage 0's size is x̄_0 (up to the bilinear round trip). Why: read
 * at 64 px, the shipped default's x̄_0 matches its caption better than its x̄_2 (R-precision 52.1%
 * against 42.8%, expression top-1 51.2% against 36.5%; docs/TRAINING.md): the upper stages, trained
 * on a third of the steps and on patches, blur the expression stage 0 drew.
 * image x̄_i: [B, S, S, 3], below x̄'_{i−1}: [B, S/2, S/2, 3] → [B, S, S, 3].
 */
export function coarseFromBelow<T>(o: Ops<T>, image: T, below: T): T {
  const s = o.shape(image)[1];
  const half = o.shape(below)[1];
  const coarse = o.resizeBilinear(downsampleTo(o, image, half), [s, s]); // up(down(x̄_i)): [B, S, S, 3]
  return o.add(o.sub(image, coarse), o.resizeBilinear(below, [s, s]));
}

function stageSpec(i: number): GraphSpec<MemeFaceConfig> & { size: number } {
  return {
    id: `stage_${i}`,
    size: 0, // set per config in memeFaceArchitecture (sizes come from the config)
    inputs: (cfg) => {
      const s = cfg.imageSizes[i];
      const list = [
        { name: 'sentence', shape: [-1, cfg.textDim] },
        { name: `template_${s}`, shape: [-1, s, s, 3] },
      ];
      if (i === 0) return [...list, { name: 'noise', shape: [-1, cfg.zDim] }];
      const prev = cfg.imageSizes[i - 1];
      const more = [
        { name: `h_${prev}`, shape: [-1, prev, prev, cfg.channels[i - 1]] },
        { name: 'words', shape: [-1, cfg.maxTokens, cfg.textDim] },
        { name: 'token_mask', shape: [-1, cfg.maxTokens] },
        ...(cfg.coarseFromBelow ? [{ name: `image_${prev}`, shape: [-1, prev, prev, 3] }] : []),
      ];
      return cfg.fusion === 'film' ? [...list, ...more] : [list[1], ...more];
    },
    build: (o, p, cfg, x) => {
      const s = cfg.imageSizes[i];
      const out = memeFaceStage(o, p, cfg, i, x);
      const named: Record<string, (typeof out)['image']> = { [`image_${s}`]: o.output(out.image, `image_${s}`) };
      if (i < cfg.imageSizes.length - 1) named[`h_${s}`] = o.output(out.h, `h_${s}`);
      if (out.attn) named[`attn_${s}`] = o.output(out.attn, `attn_${s}`);
      return named;
    },
  };
}

/**
 * MemeFaceGenerator as browser graphs: text_encoder (token_ids, token_mask → words, sentence) and
 * stage_0..2 (→ image_64/128/256, h_64/h_128 for the next stage, attn_128/attn_256).
 * The default stage list is the paper's three stages; `memeFaceArchitectureFor` trims it to a config.
 */
export const memeFaceArchitecture: Architecture<MemeFaceConfig> = {
  name: 'memeface',
  textEncoder: {
    id: 'text_encoder',
    inputs: (cfg) => [
      { name: 'token_ids', shape: [-1, cfg.maxTokens], dtype: 'int32' },
      { name: 'token_mask', shape: [-1, cfg.maxTokens] },
    ],
    build: (o, p, cfg, x) => {
      const t = textEncoder(o, p, cfg, x.token_ids, x.token_mask);
      return { words: o.output(t.words, 'words'), sentence: o.output(t.sentence, 'sentence') };
    },
  },
  stages: [64, 128, 256].map((size, i) => ({ ...stageSpec(i), size })),
};

/** The architecture with exactly the config's stages (sizes from `cfg.imageSizes`). */
export function memeFaceArchitectureFor(cfg: MemeFaceConfig): Architecture<MemeFaceConfig> {
  return {
    ...memeFaceArchitecture,
    stages: cfg.imageSizes.map((size, i) => ({ ...stageSpec(i), size })),
  };
}
