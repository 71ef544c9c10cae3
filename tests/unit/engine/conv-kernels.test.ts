import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectTrainingBackend } from '../../../training/engine/backend';
import { directionalCheck, onBackend, randomValues, relativeError, sizeOf } from './helpers';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
interface ConvCase {
  h: number;
  w: number;
  k: number;
  stride: number;
  pad: Pad;
}

const SIZES: [number, number][] = [
  [7, 9], // odd
  [8, 6], // even
];
const CASES: ConvCase[] = [];
for (const [h, w] of SIZES) {
  for (const k of [1, 3, 4]) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) CASES.push({ h, w, k, stride, pad });
    }
  }
}
CASES.push({ h: 9, w: 7, k: 3, stride: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] });

const B = 2;
const CI = 3;
const CO = 5;

function convParts(c: ConvCase) {
  const xShape: [number, number, number, number] = [B, c.h, c.w, CI];
  const wShape: [number, number, number, number] = [c.k, c.k, CI, CO];
  const x = () => tf.tensor(randomValues(sizeOf(xShape), 11), xShape) as tf.Tensor4D;
  const w = () => tf.tensor(randomValues(sizeOf(wShape), 12), wShape) as tf.Tensor4D;
  const outShape = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(wShape) as tf.Tensor4D, c.stride, c.pad).shape;
  const r = () => tf.tensor(randomValues(sizeOf(outShape), 13), outShape);
  // f(x, w) = Σ conv2d(x, w) ⊙ r: its gradients are exactly the two backprop kernels applied to r.
  const loss = (xt: tf.Tensor, wt: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, c.stride, c.pad), r())) as tf.Scalar;
  const grads = () => tf.grads(loss)([x(), w()]);
  return { x, w, loss, grads };
}

const name = (c: ConvCase) => `${c.h}×${c.w} k${c.k} s${c.stride} ${typeof c.pad === 'string' ? c.pad : 'explicit'}`;

beforeAll(async () => {
  const choice = await selectTrainingBackend({ override: 'wasm', log: () => {} });
  expect(choice.name).toBe('wasm');
});

describe('Conv2DBackpropFilter and Conv2DBackpropInput on wasm', () => {
  it.each(CASES.map((c) => [name(c), c] as const))('%s: match the cpu backend', async (_n, c) => {
    const cpu = await onBackend('cpu', () => convParts(c).grads());
    const wasm = await onBackend('wasm', () => convParts(c).grads());
    expect(relativeError(wasm[0], cpu[0]), 'dX').toBeLessThan(1e-5);
    expect(relativeError(wasm[1], cpu[1]), 'dW').toBeLessThan(1e-5);
  });

  it.each(CASES.map((c) => [name(c), c] as const))('%s: pass a finite-difference check', async (_n, c) => {
    const parts = convParts(c);
    const [dx, dw] = (await onBackend('wasm', () => parts.grads())) as [Float32Array, Float32Array];
    tf.tidy(() => {
      const x = parts.x();
      const w = parts.w();
      // f is linear in each argument, so the central difference is exact for any ε; a large ε
      // keeps float32 rounding out of the comparison.
      expect(directionalCheck((xt) => parts.loss(xt, w), x, dx, 21, 1), 'dX').toBeLessThan(1e-4);
      expect(directionalCheck((wt) => parts.loss(x, wt), w, dw, 22, 1), 'dW').toBeLessThan(1e-4);
    });
  });

  it('really replaced the stock kernels (wasm has no Conv2DBackpropFilter of its own)', () => {
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });
});
