import type { Ops, Params } from '../ops/types';
import { conv, dense } from '../layers';
import type { MemeFaceConfig } from './config';

/**
 * D_i (AttnGAN §3.3 with the paper's template condition): a strided CNN from S×S down to 4×4,
 * then three logits:
 *   uncond  — D_i(x̄_i): is the image real?
 *   cond    — D_i(x̄_i, ĉ): does it match the sentence?
 *   tmpl    — does it belong to this template P_i? (sees mismatched image/template pairs)
 * and, with `classes` > 0, AC-GAN's auxiliary classifier: logits over the expressions [B, classes];
 * with `templateClasses` > 0, a second one over the templates [B, templateClasses].
 * Eager-only in practice (never exported) but written against Ops like the rest.
 */
export interface DiscriminatorLogits<T> {
  uncond: T; // [B, 1]
  cond: T; // [B, 1]
  tmpl: T; // [B, 1]
  cls?: T; // [B, classes]
  tcls?: T; // [B, templateClasses]
}

const lrelu = <T>(o: Ops<T>, x: T) => o.leakyRelu(x, 0.2);

/** Strided 3×3 conv stack S → 4; widths ndf·2^k capped at 8·ndf. [B, S, S, 3] → [B, 4, 4, Cd]. */
function encode<T>(o: Ops<T>, p: Params<T>, name: string, x: T, ndf: number): T {
  let h = x;
  let k = 0;
  while (o.shape(h)[1] > 4) {
    h = lrelu(o, conv(o, p, `${name}/down${k}`, h, ndf * Math.min(8, 2 ** k), 3, 2)); // [B, S/2^(k+1), ·, ·]
    k++;
  }
  return h;
}

/** [B, K] → [B, 4, 4, K] by broadcasting against a [B, 4, 4, 1] ones tensor taken from `like`. */
function tile4<T>(o: Ops<T>, v: T, like: T): T {
  const k = o.shape(v)[1];
  const ones = o.add(o.mul(o.slice(like, [0, 0, 0, 0], [-1, -1, -1, 1]), o.scalar(0)), o.scalar(1)); // [B, 4, 4, 1]
  return o.mul(ones, o.reshape(v, [-1, 1, 1, k]));
}

function head<T>(o: Ops<T>, p: Params<T>, name: string, h: T, outputs = 1): T {
  const [, a, b, c] = o.shape(h);
  return dense(o, p, `${name}/logit`, o.reshape(h, [-1, a * b * c]), outputs); // [B, outputs]
}

export function discriminator<T>(o: Ops<T>, p: Params<T>, cfg: MemeFaceConfig, i: number, image: T, sentence: T, template: T, classes = 0, templateClasses = 0): DiscriminatorLogits<T> {
  const name = `disc/d${i}`;
  const ndf = cfg.ndf;
  const feat = encode(o, p, `${name}/img`, image, ndf); // [B, 4, 4, Cd]
  const cd = o.shape(feat)[3];
  const uncond = head(o, p, `${name}/uncond`, feat);
  const s = lrelu(o, dense(o, p, `${name}/sent`, sentence, cd)); // [B, Cd]
  const joint = lrelu(o, conv(o, p, `${name}/joint`, o.concat([feat, tile4(o, s, feat)], 3), cd, 3)); // [B, 4, 4, Cd]
  const cond = head(o, p, `${name}/cond`, joint);
  const tfeat = encode(o, p, `${name}/tmpl_enc`, template, Math.max(4, ndf >> 1)); // [B, 4, 4, Ct]
  const tjoint = lrelu(o, conv(o, p, `${name}/tmpl_joint`, o.concat([feat, tfeat], 3), cd, 3)); // [B, 4, 4, Cd]
  const tmpl = head(o, p, `${name}/tmpl`, tjoint);
  const out: DiscriminatorLogits<T> = { uncond, cond, tmpl };
  if (classes > 0) out.cls = head(o, p, `${name}/cls`, feat, classes); // [B, classes]
  // The image features alone, not tjoint: the head must name the template without being shown it.
  if (templateClasses > 0) out.tcls = head(o, p, `${name}/tcls`, feat, templateClasses); // [B, templateClasses]
  return out;
}
