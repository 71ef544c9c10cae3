import type { Ops, Params } from '../ops/types';
import { conv, dense, downsampleTo } from '../layers';
import type { MemeFaceConfig } from './config';

/**
 * DAMSM (AttnGAN §3.4). The image encoder is a small CNN trained from scratch (no Inception
 * weights are available): images are average-pooled to `damsmImageSize`, three strided convs give
 * region features v [B, N, D] (N = (size/8)²) and a global feature v̄ [B, D].
 */
export interface ImageFeatures<T> {
  regions: T; // [B, N, D]
  global: T; // [B, D]
}

export const DAMSM_GAMMA1 = 4;
export const DAMSM_GAMMA2 = 5;
export const DAMSM_GAMMA3 = 10;

export function damsmImageEncoder<T>(o: Ops<T>, p: Params<T>, cfg: MemeFaceConfig, image: T): ImageFeatures<T> {
  const c = cfg.damsmChannels;
  const d = cfg.textDim;
  let h = downsampleTo(o, image, cfg.damsmImageSize); // [B, Sd, Sd, 3]
  h = o.leakyRelu(conv(o, p, 'damsm/c0', h, c, 3, 2), 0.2); // [B, Sd/2, ·, C]
  h = o.leakyRelu(conv(o, p, 'damsm/c1', h, 2 * c, 3, 2), 0.2); // [B, Sd/4, ·, 2C]
  h = o.leakyRelu(conv(o, p, 'damsm/c2', h, 4 * c, 3, 2), 0.2); // [B, Sd/8, ·, 4C]
  const [, r] = o.shape(h);
  const regions = o.reshape(conv(o, p, 'damsm/regions', h, d, 1), [-1, r * r, d]); // [B, N, D]
  const pooled = o.mean(h, [1, 2], false); // [B, 4C]
  const global = dense(o, p, 'damsm/global', pooled, d); // [B, D]
  return { regions, global };
}

/** x / ‖x‖ over the last axis. */
function l2normalize<T>(o: Ops<T>, x: T): T {
  const axis = o.shape(x).length - 1;
  return o.mul(x, o.rsqrt(o.add(o.sum(o.square(x), [axis], true), o.scalar(1e-8))));
}

/**
 * Word-level matching scores (AttnGAN eq. 7–10) for every (caption a, image b) pair of a batch:
 * s = e_a^T v_b; softmax over words (eq. 8), then γ1-sharpened softmax over regions (eq. 9) gives
 * the region-context c_{a,b,l}; R(Q_b, D_a) = log Σ_l exp(γ2 cos(c, e_l)) (eq. 10), padding excluded.
 * words [B, L, D], mask [B, L], regions [B, N, D] → γ3·R [B(a), B(b)].
 */
export function wordMatchScores<T>(o: Ops<T>, words: T, mask: T, regions: T, batch: number): T {
  const [, l, d] = o.shape(words);
  const n = o.shape(regions)[1];
  const s = o.matMul(o.reshape(words, [-1, d]), o.reshape(regions, [-1, d]), false, true); // [B·L, B·N]
  const s4 = o.transpose(o.reshape(s, [batch, l, batch, n]), [0, 2, 3, 1]); // [a, b, N, L]
  const wordBias = o.reshape(o.mul(o.sub(mask, o.scalar(1)), o.scalar(1e4)), [batch, 1, 1, l]); // −1e4 at padding
  const overWords = o.softmax(o.add(s4, wordBias)); // eq. (8): softmax over words, [a, b, N, L]
  const alpha = o.softmax(o.mul(o.transpose(overWords, [0, 1, 3, 2]), o.scalar(DAMSM_GAMMA1))); // eq. (9): [a, b, L, N]
  const alphaB = o.reshape(o.transpose(alpha, [1, 0, 2, 3]), [batch, batch * l, n]); // [b, a·L, N]
  const ctx = o.transpose(o.reshape(o.matMul(alphaB, regions), [batch, batch, l, d]), [1, 0, 2, 3]); // [a, b, L, D]
  const cos = o.sum(o.mul(l2normalize(o, ctx), o.reshape(l2normalize(o, words), [batch, 1, l, d])), [3], false); // [a, b, L]
  const m = o.reshape(mask, [batch, 1, l]); // [a, 1, L]
  const r = o.log(o.add(o.sum(o.mul(o.exp(o.mul(cos, o.scalar(DAMSM_GAMMA2))), m), [2], false), o.scalar(1e-8))); // eq. (10): [a, b]
  return o.mul(r, o.scalar(DAMSM_GAMMA3)); // [a, b]
}

/** Sentence-level scores γ3·cos(ĉ_a, v̄_b) [B(a), B(b)] (AttnGAN eq. 12 with the global feature). */
export function sentenceMatchScores<T>(o: Ops<T>, sentence: T, global: T): T {
  return o.mul(o.matMul(l2normalize(o, sentence), l2normalize(o, global), false, true), o.scalar(DAMSM_GAMMA3)); // [a, b]
}
