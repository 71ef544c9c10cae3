import * as tf from '@tensorflow/tfjs-core';
import { discriminatorWidths, type StandInConfig } from './config';
import { conv, convSpecs, dense, denseSpecs, type ParamMap, type ParamSpec } from './layers';

/**
 * Projection discriminator: stride-2 4×4 convs with leakyRelu down to 4×4, an unconditional
 * 4×4 logit plus the inner product of pooled features with the projected caption. No norm, so
 * that R1 and other gradient penalties are well defined per sample.
 */
export function discriminatorSpecs(c: StandInConfig): ParamSpec[] {
  const widths = discriminatorWidths(c);
  const last = widths[widths.length - 1];
  const specs: ParamSpec[] = [{ name: 'd/embed', shape: [c.vocabSize, c.embedDim], init: 'normal' }];
  widths.forEach((w, i) => specs.push(...convSpecs(`d/down${i}`, 4, i === 0 ? 3 : widths[i - 1], w)));
  specs.push(...convSpecs('d/logit', 4, last, 1), ...denseSpecs('d/proj', c.embedDim, last));
  return specs;
}

export function discriminator(p: ParamMap, c: StandInConfig, image: tf.Tensor4D, words: tf.Tensor2D): tf.Tensor1D {
  let x = image; // [B, R, R, 3]
  const levels = discriminatorWidths(c).length;
  for (let i = 0; i < levels; i++) x = tf.leakyRelu(conv(p, `d/down${i}`, x, 2), c.leak);
  // x: [B, 4, 4, C]
  const unconditional = tf.reshape(tf.conv2d(x, p['d/logit/w'] as tf.Tensor4D, 1, 'valid'), [-1]); // [B]
  const sentence = tf.mean(tf.gather(p['d/embed'], words), 1) as tf.Tensor2D; // [B, E]
  const pooled = tf.mean(x, [1, 2]) as tf.Tensor2D; // [B, C]
  const projection = tf.sum(tf.mul(pooled, dense(p, 'd/proj', sentence)), 1); // [B]
  return tf.add(tf.add(unconditional, projection), p['d/logit/b']) as tf.Tensor1D;
}
