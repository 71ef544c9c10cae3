import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../training/train/config';
import { EDIT_THRESHOLD, edgeL1, editWeightedL1, l1 } from '../../../training/train/losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A 1×2×2 image pair: the real image departs from the template at pixel (0, 0) only. */
function scene() {
  const template = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
  const real = tf.tensor4d([0.8, 0.8, 0.8, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 2, 2, 3]); // edited at (0, 0)
  const fake = tf.tensor4d([0, 0, 0, 0.2, 0.2, 0.2, 0, 0, 0, 0, 0, 0], [1, 2, 2, 3]); // missed the edit, error elsewhere
  return { template, real, fake };
}

describe('editWeightedL1', () => {
  it('is plain L1 with k = 0', () => {
    const { template, real, fake } = scene();
    expect(editWeightedL1(fake, real, template, 0).dataSync()[0]).toBeCloseTo(l1(fake, real).dataSync()[0], 6);
  });

  it('weighs the edited pixels (1 + k)× and normalises by the total weight', () => {
    const { template, real, fake } = scene();
    // |fake − real| per pixel (all channels alike): 0.8 at the edit, 0.2 at (0, 1), 0 elsewhere.
    const k = 4;
    const expected = ((1 + k) * 0.8 * 3 + 0.2 * 3) / (3 * (1 + k + 1 + 1 + 1));
    expect(editWeightedL1(fake, real, template, k).dataSync()[0]).toBeCloseTo(expected, 6);
    expect(expected).toBeGreaterThan(l1(fake, real).dataSync()[0]); // missing the edit now costs more
  });

  it('pushes the gradient towards the edit', () => {
    const { template, real, fake } = scene();
    const grad = tf.grad((x: tf.Tensor) => editWeightedL1(x as tf.Tensor4D, real, template, 4))(fake).dataSync();
    expect(Math.abs(grad[0])).toBeCloseTo(5 * Math.abs(grad[3]), 6); // edited pixel vs an unedited one
  });

  it('treats departures below the threshold as unedited', () => {
    const template = tf.zeros([1, 1, 1, 3]) as tf.Tensor4D;
    const real = tf.fill([1, 1, 1, 3], EDIT_THRESHOLD / 2) as tf.Tensor4D;
    const fake = tf.zeros([1, 1, 1, 3]) as tf.Tensor4D;
    expect(editWeightedL1(fake, real, template, 9).dataSync()[0]).toBeCloseTo(EDIT_THRESHOLD / 2, 6);
  });

  it('is a validated config key', () => {
    expect(resolveConfig({ gan: { reconEditWeight: 3 } }).gan.reconEditWeight).toBe(3);
    expect(resolveConfig({}).gan.reconEditWeight).toBe(0);
    expect(() => resolveConfig({ gan: { reconEditWeight: -1 } })).toThrow(/gan\.reconEditWeight/);
  });
});

describe('edgeL1 (the reconstruction edge term)', () => {
  /** 1×1×4×1 rows, repeated to 3 channels: a flat template, a sharp step, the step blurred. */
  const row = (v: number[]) => tf.tile(tf.tensor4d(v, [1, 1, 4, 1]), [1, 2, 1, 3]) as tf.Tensor4D; // [1, 2, 4, 3]
  const template = row([0, 0, 0, 0]);
  const sharp = row([0, 0, 1, 1]);
  const blurred = row([0, 1 / 3, 2 / 3, 1]);

  it('is zero when the image is exact', () => {
    expect(edgeL1(sharp, sharp, template, 4).dataSync()[0]).toBe(0);
  });

  it('charges a blurred stroke, which plain L1 charges little', () => {
    // Horizontal differences: real [0, 1, 0], blurred [1/3, 1/3, 1/3]; weight 5 on the edge
    // (departure 1 > threshold), 1 elsewhere. Vertical differences are all zero.
    const horizontal = (1 * (1 / 3) + 5 * (2 / 3) + 1 * (1 / 3)) / (1 + 5 + 1);
    expect(edgeL1(blurred, sharp, template, 4).dataSync()[0]).toBeCloseTo(0.5 * horizontal, 6);
    expect(edgeL1(blurred, sharp, template, 4).dataSync()[0]).toBeGreaterThan(l1(blurred, sharp).dataSync()[0]);
  });

  it('is a validated config key, off by default', () => {
    expect(resolveConfig({}).gan.reconEdgeWeight).toBe(0);
    expect(resolveConfig({ gan: { reconEdgeWeight: 1 } }).gan.reconEdgeWeight).toBe(1);
    expect(() => resolveConfig({ gan: { reconEdgeWeight: -1 } })).toThrow(/gan\.reconEdgeWeight/);
  });
});
