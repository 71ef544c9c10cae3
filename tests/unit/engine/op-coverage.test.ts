import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectTrainingBackend } from '../../../training/engine/backend';
import { directionalCheck, onBackend, randomValues, relativeError, sizeOf } from './helpers';

const tensor = (shape: number[], seed: number) => tf.tensor(randomValues(sizeOf(shape), seed), shape);
const x4 = () => tensor([2, 6, 6, 4], 1) as tf.Tensor4D;

/**
 * Ops a GAN's backward pass may use beyond convs, each differentiated on wasm and on cpu.
 * A missing wasm kernel anywhere in a backward pass throws here rather than mid-training.
 */
const OPS: Record<string, (x: tf.Tensor4D) => tf.Tensor> = {
  batchNorm: (x) => tf.batchNorm(x, tf.mean(x, [0, 1, 2]), tf.add(tf.moments(x, [0, 1, 2]).variance, 1e-3), tensor([4], 2), tensor([4], 3)),
  tile: (x) => tf.tile(x, [1, 2, 1, 3]),
  avgPool: (x) => tf.avgPool(x, 2, 2, 'valid'),
  maxPool: (x) => tf.maxPool(x, 3, 2, 'same'),
  resizeBilinear: (x) => tf.image.resizeBilinear(x, [12, 12]),
  softmax: (x) => tf.softmax(x),
  logSoftmax: (x) => tf.logSoftmax(x),
  mirrorPad: (x) => tf.mirrorPad(x, [[0, 0], [1, 1], [2, 2], [0, 0]] as [number, number][], 'reflect'),
  mirrorPadSymmetric: (x) => tf.mirrorPad(x, [[0, 0], [2, 0], [1, 3], [0, 0]], 'symmetric'),
  elu: (x) => tf.elu(x),
  prelu: (x) => tf.prelu(x, tf.fill([4], 0.1) as unknown as tf.Tensor4D), // alpha broadcasts over channels
  sigmoidTanh: (x) => tf.mul(tf.sigmoid(x), tf.tanh(x)),
  maxMin: (x) => tf.add(tf.max(x, [1, 2], true), tf.minimum(x, 0.1)),
  where: (x) => tf.where(tf.greater(x, 0), tf.square(x), tf.neg(x)),
  conv2dTranspose: (x) => tf.conv2dTranspose(x, tensor([4, 4, 3, 4], 4) as tf.Tensor4D, [2, 12, 12, 3], 2, 'same'),
  depthToSpace: (x) => tf.depthToSpace(x, 2),
  stridedSlice: (x) => tf.stridedSlice(x, [0, 1, 0, 0], [2, 6, 6, 4], [1, 2, 2, 1]),
  gatherAxis1: (x) => tf.gather(x, tf.tensor1d([5, 0, 2, 2], 'int32'), 1),
  l2Normalize: (x) => tf.div(x, tf.sqrt(tf.sum(tf.square(x), -1, true))),
  cumsum: (x) => tf.cumsum(x, 2),
  cumsumReverseExclusive: (x) => tf.cumsum(x, 1, true, true),
};

beforeAll(async () => {
  expect((await selectTrainingBackend({ override: 'wasm', log: () => {} })).name).toBe('wasm');
});

describe('gradients of other GAN ops on wasm match the cpu backend', () => {
  it.each(Object.keys(OPS))('%s', async (name) => {
    const op = OPS[name];
    const run = () => {
      const out = op(x4());
      const r = tensor(out.shape, 9);
      return [tf.grad((x: tf.Tensor) => tf.sum(tf.mul(op(x as tf.Tensor4D), r)))(x4())];
    };
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-4);
  });
});

// Linear ops, so the central difference is exact at any ε. The first six have gradients that
// training/engine registers (tfjs 4.22 has none, or a wrong one for Cumsum and MirrorPad).
const LINEAR = ['depthToSpace', 'stridedSlice', 'cumsum', 'cumsumReverseExclusive', 'mirrorPad', 'mirrorPadSymmetric', 'gatherAxis1', 'tile', 'conv2dTranspose'];

describe('gradients of linear ops pass a finite-difference check on wasm', () => {
  it.each(LINEAR)('%s', async (name) => {
    const op = OPS[name];
    await tf.setBackend('wasm');
    tf.tidy(() => {
      const r = tensor(op(x4()).shape, 9);
      const loss = (x: tf.Tensor) => tf.sum(tf.mul(op(x as tf.Tensor4D), r)) as tf.Scalar;
      const grad = tf.grad(loss)(x4()).dataSync();
      expect(directionalCheck(loss, x4(), grad, 12, 1)).toBeLessThan(1e-4);
    });
  });
});
