import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { stageConsistencyL1 } from '../../../training/train/losses';
import { resolveConfig } from '../../../training/train/config';
import { backend, eightImageTrainer, ganSteps, tinyConfig } from './helpers';

describe('gan.stageConsistencyWeight', () => {
  beforeAll(async () => {
    await backend();
  });

  it('the term: zero when x̄_i is x̄_{i−1} enlarged, blind to colour, and it never moves the stage below', () => {
    tf.tidy(() => {
      const below = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 3) as tf.Tensor4D; // x̄_{i−1}
      const enlarged = tf.image.resizeNearestNeighbor(below, [16, 16]) as tf.Tensor4D;
      expect(stageConsistencyL1(enlarged, below).dataSync()[0]).toBeLessThan(1e-6);
      // A colour change that keeps each pixel's lightness (mean of RGB) costs nothing.
      const recoloured = tf.add(enlarged, tf.tensor1d([0.2, -0.1, -0.1])) as tf.Tensor4D;
      expect(stageConsistencyL1(recoloured, below).dataSync()[0]).toBeLessThan(1e-6);
      // Brighter by 0.3 everywhere: the term reads 0.3.
      expect(stageConsistencyL1(tf.add(enlarged, 0.3) as tf.Tensor4D, below).dataSync()[0]).toBeCloseTo(0.3, 5);
      // The gradient reaches x̄_i only.
      const fake = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
      const [dFake, dBelow] = tf.grads((f: tf.Tensor, b: tf.Tensor) => stageConsistencyL1(f as tf.Tensor4D, b as tf.Tensor4D))([fake, below]);
      expect(tf.max(tf.abs(dFake)).dataSync()[0]).toBeGreaterThan(0);
      expect(tf.max(tf.abs(dBelow)).dataSync()[0]).toBe(0);
    });
  });

  it('defaults to off, and a run with it logs the term and leaks no tensor per step', async () => {
    expect(resolveConfig({}).gan.stageConsistencyWeight).toBe(0);
    const off = await eightImageTrainer(tinyConfig());
    try {
      expect((await ganSteps(off, 1))[0].g_stage).toBeUndefined();
    } finally {
      await off.dispose();
    }
    const on = await eightImageTrainer(tinyConfig((c) => void (c.gan.stageConsistencyWeight = 100)));
    try {
      const [first] = await ganSteps(on, 1);
      expect(first.g_stage).toBeGreaterThan(0);
      const before = tf.memory().numTensors;
      await ganSteps(on, 3, 1);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await on.dispose();
    }
  }, 120_000);
});
