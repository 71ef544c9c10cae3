import * as tf from '@tensorflow/tfjs-core';
import type { Init, Ops, Padding, Params } from './types';
import { initialValues } from './init';

/** Eager interpreter: each op runs now on the active tfjs backend. */
export const eagerOps: Ops<tf.Tensor> = {
  kind: 'eager',
  shape: (x) => x.shape.slice(),
  conv2d: (x, w, stride, pad: Padding) =>
    tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad),
  biasAdd: (x, b) => tf.add(x, b),
  matMul: (a, b, ta = false, tb = false) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, ta, tb),
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  maximum: (a, b) => tf.maximum(a, b),
  neg: (x) => tf.neg(x),
  square: (x) => tf.square(x),
  exp: (x) => tf.exp(x),
  rsqrt: (x) => tf.rsqrt(x),
  log: (x) => tf.log(x),
  relu: (x) => tf.relu(x),
  leakyRelu: (x, alpha) => tf.leakyRelu(x, alpha),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  softmax: (x) => tf.softmax(x),
  reshape: (x, shape) => tf.reshape(x, shape),
  transpose: (x, perm) => tf.transpose(x, perm),
  concat: (xs, axis) => tf.concat(xs, axis),
  slice: (x, begin, size) => tf.slice(x, begin, size),
  gather: (table, ids) => tf.gather(table, ids),
  resizeNearest: (x, size) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, size),
  resizeBilinear: (x, size) => tf.image.resizeBilinear(x as tf.Tensor4D, size),
  avgPool: (x, k, stride) => tf.avgPool(x as tf.Tensor4D, k, stride, 'valid'),
  mean: (x, axes, keepDims) => tf.mean(x, axes, keepDims),
  sum: (x, axes, keepDims) => tf.sum(x, axes, keepDims),
  scalar: (v) => tf.scalar(v),
  output: (x) => x,
};

/**
 * Trainable parameters as tf.Variables, created on first use with deterministic init.
 * The same store feeds training (gradients by name) and the exporter (values by name).
 */
export class VariableStore implements Params<tf.Tensor> {
  readonly vars = new Map<string, tf.Variable>();
  constructor(private readonly seed: number, private readonly trainable = true) {}

  get(name: string, shape: number[], init: Init): tf.Tensor {
    const existing = this.vars.get(name);
    if (existing) {
      assertSameShape(name, existing.shape, shape);
      return existing;
    }
    const v = tf.variable(tf.tensor(initialValues(name, shape, init, this.seed), shape), this.trainable, name);
    this.vars.set(name, v);
    return v;
  }

  /** Plain copies of every parameter, for export and checkpoints. */
  async snapshot(): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
    const out = new Map<string, { shape: number[]; values: Float32Array }>();
    for (const [name, v] of this.vars) out.set(name, { shape: v.shape.slice(), values: (await v.data()) as Float32Array });
    return out;
  }

  /** Overwrites (or creates) parameters from plain arrays, e.g. a loaded export. */
  load(values: Map<string, { shape: number[]; values: Float32Array }>): void {
    for (const [name, w] of values) {
      const existing = this.vars.get(name);
      if (existing) {
        assertSameShape(name, existing.shape, w.shape);
        existing.assign(tf.tensor(w.values, w.shape));
      } else {
        this.vars.set(name, tf.variable(tf.tensor(w.values, w.shape), this.trainable, name));
      }
    }
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

export class ParameterShapeError extends Error {
  override name = 'ParameterShapeError';
}

function assertSameShape(name: string, have: number[], want: number[]): void {
  if (have.length !== want.length || have.some((d, i) => d !== want[i])) {
    throw new ParameterShapeError(
      `Parameter "${name}" has shape [${have}] but the model asks for [${want}]. ` +
        'The weights belong to a different model config: export again from the matching run.',
    );
  }
}
