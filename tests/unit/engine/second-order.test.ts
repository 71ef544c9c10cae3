import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectTrainingBackend } from '../../../training/engine/backend';
import { directionalCheck, onBackend, randomValues, relativeError, sizeOf } from './helpers';

const tensor = (shape: number[], seed: number, scale = 1) =>
  tf.tensor(randomValues(sizeOf(shape), seed).map((v) => v * scale), shape);

const W1 = [4, 4, 3, 6];
const W2 = [3, 3, 6, 4];

/** A small discriminator with every op whose second derivative R1 needs: conv, leakyRelu, avgPool, resize. */
function critic(x: tf.Tensor4D, w1: tf.Tensor, w2: tf.Tensor, resize: boolean): tf.Tensor1D {
  let h = tf.leakyRelu(tf.conv2d(x, w1 as tf.Tensor4D, 2, 'same'), 0.2); // [B, 5, 5, 6]
  h = tf.avgPool(h, 2, 1, 'valid'); // [B, 4, 4, 6]
  h = resize ? tf.image.resizeNearestNeighbor(h, [8, 8]) : tf.pad(h, [[0, 0], [2, 2], [2, 2], [0, 0]]); // [B, 8, 8, 6]
  h = tf.leakyRelu(tf.conv2d(h, w2 as tf.Tensor4D, 1, 'valid'), 0.2); // [B, 6, 6, 4]
  return tf.mean(h, [1, 2, 3]) as tf.Tensor1D;
}

/** R1 = mean over samples of ‖∇ₓ D(x)‖². */
function r1(x: tf.Tensor4D, w1: tf.Tensor, w2: tf.Tensor, resize = true): tf.Scalar {
  const gx = tf.grad((xi: tf.Tensor) => tf.sum(critic(xi as tf.Tensor4D, w1, w2, resize)))(x);
  return tf.mean(tf.sum(tf.square(gx), [1, 2, 3])) as tf.Scalar;
}

const x = () => tensor([3, 9, 9, 3], 1) as tf.Tensor4D;
const w1 = () => tensor(W1, 2, 0.5);
const w2 = () => tensor(W2, 3, 0.5);

beforeAll(async () => {
  expect((await selectTrainingBackend({ override: 'wasm', log: () => {} })).name).toBe('wasm');
});

describe('second-order gradients (R1 penalty)', () => {
  it('are registered for comparisons and the *Grad ops', () => {
    for (const k of [tf.Greater, tf.Less, tf.GreaterEqual, tf.AvgPoolGrad, tf.ResizeNearestNeighborGrad]) {
      expect(tf.getGradient(k), k).toBeDefined();
    }
  });

  it('give R1 parameter gradients that match the cpu backend', async () => {
    // Without the resize: tfjs 4.22's cpu ResizeNearestNeighborGrad is wrong for batch > 1
    // (it fails the adjoint identity), while wasm's is right.
    const run = () => tf.grads((a: tf.Tensor, b: tf.Tensor) => r1(x(), a, b, false))([w1(), w2()]);
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expect(relativeError(wasm[0], cpu[0]), 'dR1/dw1 vs cpu').toBeLessThan(1e-4);
    expect(relativeError(wasm[1], cpu[1]), 'dR1/dw2 vs cpu').toBeLessThan(1e-4);
  });

  it('give R1 parameter gradients that pass a finite-difference check', async () => {
    const wasm = await onBackend('wasm', () => tf.grads((a: tf.Tensor, b: tf.Tensor) => r1(x(), a, b))([w1(), w2()]));
    tf.tidy(() => {
      // R1 jumps wherever a leakyRelu mask flips, so ε must be small enough that none does.
      expect(directionalCheck((a) => r1(x(), a, w2()), w1(), wasm[0], 7, 1e-4), 'w1').toBeLessThan(1e-2);
      expect(directionalCheck((b) => r1(x(), w1(), b), w2(), wasm[1], 8, 1e-4), 'w2').toBeLessThan(1e-2);
    });
  });
});
