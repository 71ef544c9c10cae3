/**
 * Losses (training side, tfjs). Paper eq. (1)–(2) and AttnGAN's DAMSM / KL terms.
 */
import * as tf from '@tensorflow/tfjs-core';

export type GanLoss = 'bce' | 'hinge';

/** D's loss for logits that should read "real" (target 1) or "fake" (target 0). */
export function dLoss(logits: tf.Tensor, real: boolean, kind: GanLoss): tf.Scalar {
  if (kind === 'hinge') return tf.mean(tf.relu(real ? tf.sub(1, logits) : tf.add(1, logits))) as tf.Scalar;
  // −log σ(x) = softplus(−x); −log(1 − σ(x)) = softplus(x)
  return tf.mean(tf.softplus(real ? tf.neg(logits) : logits)) as tf.Scalar;
}

/** G's adversarial loss −E[log D(x̄)] (non-saturating), or −E[D(x̄)] for hinge. */
export function gLoss(logits: tf.Tensor, kind: GanLoss): tf.Scalar {
  return (kind === 'hinge' ? tf.neg(tf.mean(logits)) : tf.mean(tf.softplus(tf.neg(logits)))) as tf.Scalar;
}

/** AttnGAN's KL_loss: −½ mean(1 + log σ² − μ² − σ²). */
export function klLoss(mu: tf.Tensor, logvar: tf.Tensor): tf.Scalar {
  return tf.mul(-0.5, tf.mean(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar)))) as tf.Scalar;
}

/**
 * Matching loss of a [B(a), B(b)] score matrix: cross-entropy with the diagonal as the label,
 * both directions (AttnGAN's loss0 + loss1). `exclude` [B, B] is 1 where an off-diagonal pair is
 * not a true negative (same image or same caption), which is then left out of the softmax.
 */
export function matchingLoss(scores: tf.Tensor2D, exclude: tf.Tensor2D): tf.Scalar {
  const s = tf.sub(scores, tf.mul(exclude, 1e4)); // [B, B]
  const diag = tf.sum(tf.mul(s, tf.eye(s.shape[0])), 1); // [B]
  const rows = tf.mean(tf.sub(tf.logSumExp(s, 1), diag));
  const cols = tf.mean(tf.sub(tf.logSumExp(s, 0), diag));
  return tf.add(rows, cols) as tf.Scalar;
}

/**
 * AC-GAN's auxiliary classification loss: softmax cross-entropy of logits [B, K] against integer
 * labels [B] (int32), mean over the batch.
 */
export function classLoss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]), logits) as tf.Scalar; // one-hot [B, K]
}

/** Mean absolute error, for the paired reconstruction term. */
export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;
}

/** Identity with a zero gradient: a target computed inside G's tape that the loss must not move. */
const heldFixed = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({ value: tf.clone(args[0] as tf.Tensor), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) }));

/**
 * Stage consistency (`gan.stageConsistencyWeight`): stage i's image, average-pooled to the scale of
 * stage i−1, against the lightness of stage i−1's image (the matching crop when stage i trains on a
 * patch), which is held fixed, so the term moves the upper stage toward the stage below and never
 * the other way. Lightness only: the upper stage keeps its own colours (the template's style).
 * With `pool` > 1 (`gan.stageConsistencyPool`) both are pooled by that factor more, so only the
 * coarse layout is kept and a thin dark stroke may stand for the stage below's grey blur.
 * fake x̄_i: [B, P, P, 3], below x̄_{i−1}: [B, P/2, P/2, 3] → mean |·| over [B, P/2k, P/2k, 1].
 */
export function stageConsistencyL1(fake: tf.Tensor4D, below: tf.Tensor4D, pool = 1): tf.Scalar {
  const lightness = (x: tf.Tensor4D) => tf.mean(x, 3, true) as tf.Tensor4D; // [B, ·, ·, 1]
  const down = tf.avgPool(lightness(fake), 2 * pool, 2 * pool, 'valid') as tf.Tensor4D; // [B, P/2k, P/2k, 1]
  const target = pool > 1 ? (tf.avgPool(lightness(below), pool, pool, 'valid') as tf.Tensor4D) : lightness(below); // [B, P/2k, P/2k, 1]
  return tf.mean(tf.abs(tf.sub(down, heldFixed(target)))) as tf.Scalar;
}

/** A pixel counts as edited when the real image departs from its template by this much (mean over RGB, in [-1, 1] units). */
export const EDIT_THRESHOLD = 0.1;

/**
 * L1 in which the pixels where the real image departs from its template (the edit: mouth, eyes,
 * tears) weigh (1 + k)×: Σ w·|x̄ − x| / (3·Σ w). The edit is a small part of a meme-face, so plain
 * L1 is already low for "template + the mean edit", and the attempts trained with it never
 * learned caption-specific edits. k = 0 is plain L1.
 * fake, real, template: [B, S, S, 3] in [-1, 1].
 */
export function editWeightedL1(fake: tf.Tensor4D, real: tf.Tensor4D, template: tf.Tensor4D, k: number): tf.Scalar {
  if (k === 0) return l1(fake, real);
  const departure = tf.mean(tf.abs(tf.sub(real, template)), 3, true); // [B, S, S, 1]
  const weight = tf.add(1, tf.mul(tf.cast(tf.greater(departure, EDIT_THRESHOLD), 'float32'), k)); // [B, S, S, 1]
  const weighted = tf.sum(tf.mul(weight, tf.abs(tf.sub(fake, real))));
  return tf.div(weighted, tf.mul(tf.sum(weight), fake.shape[3])) as tf.Scalar;
}

/**
 * The reconstruction's edge term: editWeightedL1 on horizontal and vertical finite differences.
 * Plain L1 on pixels is minimised by the blurred mean of the edits a caption allows; on
 * differences a blur costs as much as a wrong edge, so the term asks for sharp strokes where the
 * real face's strokes depart from the template's (the weight uses the differences' departure).
 */
export function edgeL1(fake: tf.Tensor4D, real: tf.Tensor4D, template: tf.Tensor4D, k: number): tf.Scalar {
  const horizontal = editWeightedL1(diffX(fake), diffX(real), diffX(template), k);
  const vertical = editWeightedL1(diffY(fake), diffY(real), diffY(template), k);
  return tf.mul(0.5, tf.add(horizontal, vertical)) as tf.Scalar;
}

/** Horizontal finite difference. x: [B, H, W, C] → [B, H, W−1, C] */
function diffX(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.sub(tf.slice(x, [0, 0, 1, 0], [b, h, w - 1, c]), tf.slice(x, [0, 0, 0, 0], [b, h, w - 1, c]));
}

/** Vertical finite difference. x: [B, H, W, C] → [B, H−1, W, C] */
function diffY(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.sub(tf.slice(x, [0, 1, 0, 0], [b, h - 1, w, c]), tf.slice(x, [0, 0, 0, 0], [b, h - 1, w, c]));
}

/**
 * GANimation's attention-mask regulariser (Pumarola et al. 2018, eq. 3), for the edit mask m of the
 * mask blends: its total variation, mean |∂x m| + mean |∂y m|, so that an edit is a few solid
 * regions with clean borders rather than speckle; and its mean, so that most of the template stays
 * (paper §3.2: "local regions change"). m: [B, S, S, 1] in [0, 1] → two scalars.
 */
export function maskRegulariser(m: tf.Tensor4D): { tv: tf.Scalar; mean: tf.Scalar } {
  const tv = tf.add(tf.mean(tf.abs(diffX(m))), tf.mean(tf.abs(diffY(m)))) as tf.Scalar;
  return { tv, mean: tf.mean(m) as tf.Scalar };
}

/** Which DiffAugment transforms run (see `diffAugment`). */
export type DiffAugmentPolicy = 'colour-translation-cutout' | 'translation';

/**
 * DiffAugment (Zhao et al. 2020): colour (brightness, saturation, contrast), translation (1/8 of
 * the side, whole batch) and cutout (a square per sample, half the side), the same draw applied to
 * every image passed together so real and fake see the same policy. `r` gives uniform [0, 1) draws;
 * every draw is made whatever the policy, so the translation a seed gives is the same under both.
 */
export function diffAugment(images: tf.Tensor4D[], r: () => number, policy: DiffAugmentPolicy = 'colour-translation-cutout'): tf.Tensor4D[] {
  const b = images[0].shape[0];
  const colourDraws = [
    Array.from({ length: b }, () => r() - 0.5), // brightness
    Array.from({ length: b }, () => r() * 2), // saturation
    Array.from({ length: b }, () => r() + 0.5), // contrast
  ];
  const dx = r();
  const dy = r();
  const cut = Array.from({ length: b }, () => [r(), r()]);
  const all = policy === 'colour-translation-cutout';
  const [bright, sat, contrast] = all ? colourDraws.map((d) => tf.tensor4d(d, [b, 1, 1, 1])) : []; // [B, 1, 1, 1] each
  return images.map((x) => {
    const s = x.shape[1];
    let y = x;
    if (all) {
      y = tf.add(y, bright) as tf.Tensor4D;
      const mean = tf.mean(y, 3, true);
      y = tf.add(tf.mul(tf.sub(y, mean), sat), mean) as tf.Tensor4D;
      const m2 = tf.mean(y, [1, 2, 3], true);
      y = tf.add(tf.mul(tf.sub(y, m2), contrast), m2) as tf.Tensor4D;
    }
    const shift = Math.max(1, Math.round(s / 8));
    const ox = Math.round(dx * 2 * shift);
    const oy = Math.round(dy * 2 * shift);
    const padded = tf.pad(y, [[0, 0], [shift, shift], [shift, shift], [0, 0]], 1); // white border
    y = tf.slice(padded, [0, oy, ox, 0], [b, s, s, 3]);
    if (!all) return y;
    const mask = new Float32Array(b * s * s);
    const half = Math.round(s / 4);
    cut.forEach(([cx, cy], i) => {
      const x0 = Math.round(cx * s) - half;
      const y0 = Math.round(cy * s) - half;
      for (let yy = 0; yy < s; yy++) for (let xx = 0; xx < s; xx++) {
        mask[i * s * s + yy * s + xx] = xx >= x0 && xx < x0 + 2 * half && yy >= y0 && yy < y0 + 2 * half ? 0 : 1;
      }
    });
    return tf.mul(y, tf.tensor4d(mask, [b, s, s, 1])) as tf.Tensor4D;
  });
}
