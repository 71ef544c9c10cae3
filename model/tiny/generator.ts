import type { Ops, Params } from '../ops/types';
import { conv, dense, downsampleTo, maskedMean, upsample2x } from '../layers';
import type { TinyConfig } from './config';
import { TINY_IMAGE_SIZE } from './config';

export interface TinyTextInputs<T> {
  tokenIds: T; // [B, L] int32
  tokenMask: T; // [B, L]
}

export interface TinyStageInputs<T> {
  sentence: T; // [B, E]
  noise: T; // [B, Z]
  template: T; // [B, 64, 64, 3] in [-1, 1]
}

/** The tiny text encoder: embedding and a masked mean give the sentence vector. */
export function tinyTextEncoder<T>(o: Ops<T>, p: Params<T>, cfg: TinyConfig, x: TinyTextInputs<T>): { sentence: T } {
  const table = p.get('tiny/embed', [cfg.vocabSize, cfg.embedDim], { kind: 'normal', std: 0.5 });
  const words = o.gather(table, x.tokenIds); // [B, L, E]
  return { sentence: o.output(maskedMean(o, words, x.tokenMask), 'sentence') }; // [B, E]
}

/**
 * The spine's tiny generator: [text vector, noise, template] → 64×64 RGB.
 * A miniature of the paper's G_0 + G'_0: a text/noise code is upsampled to visual features
 * x̂_0, then fused with the template pattern P_0 by a 1×1-conv MLP and decoded to x̄_0.
 */
export function tinyGenerator<T>(o: Ops<T>, p: Params<T>, cfg: TinyConfig, x: TinyStageInputs<T>): T {
  const c = cfg.channels;
  const code = o.concat([x.sentence, x.noise], 1); // [B, E+Z]
  let h = o.leakyRelu(dense(o, p, 'tiny/fc', code, 4 * 4 * c), 0.2); // [B, 4*4*C]
  h = o.reshape(h, [-1, 4, 4, c]); // [B, 4, 4, C]
  for (let i = 0; i < 4; i++) {
    h = o.leakyRelu(conv(o, p, `tiny/up${i}`, upsample2x(o, h), c, 3), 0.2); // [B, 8·2^i, 8·2^i, C]
  }
  const pattern = downsampleTo(o, x.template, TINY_IMAGE_SIZE); // [B, 64, 64, 3]
  const fused = o.leakyRelu(conv(o, p, 'tiny/fuse', o.concat([h, pattern], 3), c, 1), 0.2); // [B, 64, 64, C]
  const delta = o.tanh(conv(o, p, 'tiny/rgb', fused, 3, 3)); // [B, 64, 64, 3]
  // Keep most of the template: the output is the pattern plus a bounded edit, still in [-1, 1].
  const image = o.add(o.mul(pattern, o.scalar(0.75)), o.mul(delta, o.scalar(0.25))); // [B, 64, 64, 3]
  return o.output(image, 'image_64');
}
