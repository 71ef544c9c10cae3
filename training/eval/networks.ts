import * as tf from '@tensorflow/tfjs-core';
import { dense } from '../../model/layers';
import { eagerOps, VariableStore } from '../../model/ops/eager';

/**
 * The evaluator's and classifiers' networks, written with the model's own `dense` layer so their
 * parameters live in the same VariableStore format (named, seeded, snapshot/load).
 * All are two-layer MLPs over the frozen image descriptor or the caption n-gram bag.
 */

/** x: [B, In] → [B, out]; `name` prefixes the parameters. */
export function mlp(store: VariableStore, name: string, x: tf.Tensor2D, hidden: number, out: number): tf.Tensor2D {
  const h = tf.leakyRelu(dense(eagerOps, store, `${name}/fc1`, x, hidden), 0.2); // [B, hidden]
  return dense(eagerOps, store, `${name}/fc2`, h, out) as tf.Tensor2D; // [B, out]
}

/** Row-wise L2 normalisation, so dot products are cosines. [B, D] → [B, D] */
export function l2Normalise(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-8));
}

export const IMAGE_ENCODER = 'eval_image';
export const TEXT_ENCODER = 'eval_text';

/** Parameter-name prefix of evaluator member k's encoders (tf variable names are global; member 0 keeps the single evaluator's names). */
export const evaluatorMemberName = (encoder: string, member: number) => (member === 0 ? encoder : `${encoder}_${member}`);

export function encodeImages(store: VariableStore, features: tf.Tensor2D, hidden: number, embedDim: number, member = 0): tf.Tensor2D {
  return l2Normalise(mlp(store, evaluatorMemberName(IMAGE_ENCODER, member), features, hidden, embedDim)); // [B, E]
}

export function encodeTexts(store: VariableStore, bags: tf.Tensor2D, hidden: number, embedDim: number, member = 0): tf.Tensor2D {
  return l2Normalise(mlp(store, evaluatorMemberName(TEXT_ENCODER, member), bags, hidden, embedDim)); // [B, E]
}

/**
 * DAMSM's sentence loss (AttnGAN eq. 10–13 at sentence level): softmax over γ·cos in both
 * directions. Off-diagonal pairs of the same class (here: the same expression, whose captions
 * are interchangeable) are masked out of the negatives, as AttnGAN masks same-class_ids.
 */
export function sentenceMatchingLoss(img: tf.Tensor2D, txt: tf.Tensor2D, sameClass: tf.Tensor2D, gamma: number): tf.Scalar {
  const scores = tf.mul(tf.matMul(img, txt, false, true), gamma); // [B, B]
  const masked = tf.sub(scores, tf.mul(sameClass, 1e4)); // sameClass has 0 on the diagonal
  const labels = tf.oneHot(tf.range(0, img.shape[0], 1, 'int32'), img.shape[0]); // [B, B]
  const i2t = tf.losses.softmaxCrossEntropy(labels, masked);
  const t2i = tf.losses.softmaxCrossEntropy(labels, tf.transpose(masked));
  return tf.add(i2t, t2i) as tf.Scalar;
}

export function weightPenalty(store: VariableStore, decay: number): tf.Scalar {
  const terms = [...store.vars].filter(([n]) => n.endsWith('/w')).map(([, v]) => tf.sum(tf.square(v)));
  return tf.mul(tf.addN(terms), decay) as tf.Scalar;
}
