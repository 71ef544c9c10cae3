import * as tf from '@tensorflow/tfjs-core';
import { generatorWidths, type StandInConfig } from './config';
import { conv, convSpecs, dense, denseSpecs, instanceNorm, type ParamMap, type ParamSpec } from './layers';
import type { MatMulCost } from './cost';

/**
 * U-Net generator that edits a template: encoder (stride-2 4×4 convs), caption conditioning and
 * word attention at the bottom, residual blocks, decoder (nearest ×2, 3×3 conv, additive skip).
 */
export function generatorSpecs(c: StandInConfig): ParamSpec[] {
  const w = generatorWidths(c);
  const bottom = w[w.length - 1];
  const specs: ParamSpec[] = [
    { name: 'g/embed', shape: [c.vocabSize, c.embedDim], init: 'normal' },
    ...convSpecs('g/in', 3, 3, w[0]),
    ...denseSpecs('g/cond', c.embedDim, bottom),
    ...denseSpecs('g/keys', c.embedDim, bottom),
  ];
  for (let i = 1; i < w.length; i++) specs.push(...convSpecs(`g/down${i}`, 4, w[i - 1], w[i]));
  for (let r = 0; r < c.gResBlocks; r++) {
    specs.push(...convSpecs(`g/res${r}a`, 3, bottom, bottom), ...convSpecs(`g/res${r}b`, 3, bottom, bottom));
  }
  for (let i = w.length - 1; i >= 1; i--) specs.push(...convSpecs(`g/up${i}`, 3, w[i], w[i - 1]));
  specs.push(...convSpecs('g/out', 3, w[0], 3));
  return specs;
}

export interface GeneratorInputs {
  template: tf.Tensor4D; // [B, R, R, 3] in [-1, 1]
  words: tf.Tensor2D; // [B, T] int32 word ids
  noise: tf.Tensor2D; // [B, embedDim]
}

export function generator(p: ParamMap, c: StandInConfig, inp: GeneratorInputs): tf.Tensor4D {
  const act = (x: tf.Tensor4D) => tf.leakyRelu(c.norm === 'instance' ? instanceNorm(x) : x, c.leak);
  const wordVecs = tf.gather(p['g/embed'], inp.words) as tf.Tensor3D; // [B, T, E]
  const sentence = tf.add(tf.mean(wordVecs, 1), inp.noise) as tf.Tensor2D; // [B, E]
  const skips: tf.Tensor4D[] = [tf.leakyRelu(conv(p, 'g/in', inp.template, 1), c.leak)]; // [B, R, R, w0]
  for (let i = 1; i < generatorWidths(c).length; i++) skips.push(act(conv(p, `g/down${i}`, skips[i - 1], 2)));
  let x = skips[skips.length - 1]; // [B, R/2^L, R/2^L, wL]
  x = tf.add(x, tf.reshape(dense(p, 'g/cond', sentence), [-1, 1, 1, x.shape[3]]));
  x = tf.add(x, wordAttention(p, x, wordVecs));
  for (let r = 0; r < c.gResBlocks; r++) {
    const h = act(conv(p, `g/res${r}a`, x, 1));
    x = tf.add(x, conv(p, `g/res${r}b`, h, 1));
  }
  for (let i = generatorWidths(c).length - 1; i >= 1; i--) {
    const up = tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]); // [B, 2H, 2W, w_i]
    x = act(tf.add(conv(p, `g/up${i}`, up, 1), skips[i - 1])); // [B, 2H, 2W, w_{i-1}]
  }
  return tf.tanh(conv(p, 'g/out', x, 1)); // [B, R, R, 3]
}

/** AttnGAN-style: every bottleneck pixel attends over the caption's words. */
function wordAttention(p: ParamMap, x: tf.Tensor4D, wordVecs: tf.Tensor3D): tf.Tensor4D {
  const [b, h, w, ch] = x.shape;
  const keys = tf.reshape(dense(p, 'g/keys', tf.reshape(wordVecs, [-1, wordVecs.shape[2]])), [b, -1, ch]); // [B, T, C]
  const queries = tf.reshape(x, [b, h * w, ch]); // [B, HW, C]
  const scores = tf.matMul(queries, keys, false, true); // [B, HW, T]
  const attention = tf.softmax(tf.mul(scores, 1 / Math.sqrt(ch)));
  return tf.reshape(tf.matMul(attention, keys), [b, h, w, ch]); // [B, H, W, C]
}

/** The attention's two batched matMuls, for FLOP counting. */
export function generatorMatMuls(c: StandInConfig, batch: number): MatMulCost[] {
  const levels = generatorWidths(c).length - 1;
  const hw = (c.resolution / 2 ** levels) ** 2;
  const ch = generatorWidths(c)[levels];
  const t = c.wordsPerCaption;
  return [
    { name: 'g/attn-scores', macs: batch * hw * ch * t },
    { name: 'g/attn-context', macs: batch * hw * t * ch },
    { name: 'g/keys', macs: batch * t * c.embedDim * ch },
  ];
}
