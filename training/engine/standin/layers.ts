import * as tf from '@tensorflow/tfjs-core';

/** Named parameter tensors; models are pure functions of them. */
export type ParamMap = Record<string, tf.Tensor>;

/** Shape and fan-in of one parameter, for initialisation and FLOP counting. */
export interface ParamSpec {
  name: string;
  shape: number[];
  /** 'he' for weights (std √(2/fanIn)), 'zeros' for biases, 'normal' for embeddings. */
  init: 'he' | 'zeros' | 'normal';
}

export function convSpecs(name: string, k: number, cin: number, cout: number): ParamSpec[] {
  return [
    { name: `${name}/w`, shape: [k, k, cin, cout], init: 'he' },
    { name: `${name}/b`, shape: [cout], init: 'zeros' },
  ];
}

/**
 * 'same' conv plus bias. Not tf.fused.conv2d: its custom gradient computes dX and dW even where
 * nobody needs them (dW of D in the G step, dX into the images), which costs more than the add.
 */
export function conv(p: ParamMap, name: string, x: tf.Tensor4D, stride: number): tf.Tensor4D {
  const y = tf.conv2d(x, p[`${name}/w`] as tf.Tensor4D, stride, 'same'); // [B, H/s, W/s, cout]
  return tf.add(y, p[`${name}/b`]);
}

export function denseSpecs(name: string, cin: number, cout: number): ParamSpec[] {
  return [
    { name: `${name}/w`, shape: [cin, cout], init: 'he' },
    { name: `${name}/b`, shape: [cout], init: 'zeros' },
  ];
}

export function dense(p: ParamMap, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, p[`${name}/w`] as tf.Tensor2D), p[`${name}/b`]);
}

/**
 * Instance norm without learned scale, written with mean/rsqrt rather than tf.batchNorm:
 * batchNorm's gradient goes through Tile, which is slow on wasm.
 */
export function instanceNorm(x: tf.Tensor4D): tf.Tensor4D {
  const mean = tf.mean(x, [1, 2], true); // [B, 1, 1, C]
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), [1, 2], true); // [B, 1, 1, C]
  return tf.mul(centered, tf.rsqrt(tf.add(variance, 1e-5)));
}

/** Deterministic initial values (a small LCG + Box–Muller), so runs and workers agree. */
export function initialParam(spec: ParamSpec, seed: number): tf.Tensor {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.init === 'zeros') return tf.zeros(spec.shape);
  const fanIn = spec.shape.length > 1 ? size / spec.shape[spec.shape.length - 1] : 1;
  const std = spec.init === 'he' ? Math.sqrt(2 / fanIn) : 0.1;
  return tf.tensor(gaussian(size, hashSeed(spec.name, seed), std), spec.shape);
}

function hashSeed(name: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h || 1;
}

function gaussian(size: number, seed: number, std: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  for (let i = 0; i < size; i++) out[i] = std * Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
  return out;
}
