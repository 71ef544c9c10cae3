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

  it('gan.stageConsistencyPool: compares the coarse layout only, so a finer stroke pattern costs nothing', () => {
    tf.tidy(() => {
      const below = tf.randomUniform([1, 8, 8, 3], -1, 1, 'float32', 5) as tf.Tensor4D; // x̄_{i−1}
      const enlarged = tf.image.resizeNearestNeighbor(below, [16, 16]) as tf.Tensor4D;
      // ±0.3 in 2×2 cells, alternating: visible at the scale of the stage below, gone at half of it.
      const cells = tf.tensor2d([[1, -1], [-1, 1]]).tile([4, 4]).reshape([1, 8, 8, 1]) as tf.Tensor4D;
      const pattern = tf.mul(0.3, tf.image.resizeNearestNeighbor(cells, [16, 16])) as tf.Tensor4D; // [1, 16, 16, 1]
      const stroked = tf.add(enlarged, pattern) as tf.Tensor4D;
      expect(stageConsistencyL1(stroked, below, 1).dataSync()[0]).toBeCloseTo(0.3, 5);
      expect(stageConsistencyL1(stroked, below, 2).dataSync()[0]).toBeLessThan(1e-6);
      expect(stageConsistencyL1(tf.add(enlarged, 0.3) as tf.Tensor4D, below, 2).dataSync()[0]).toBeCloseTo(0.3, 5);
      const [dBelow] = tf.grads((b: tf.Tensor) => stageConsistencyL1(stroked, b as tf.Tensor4D, 2))([below]);
      expect(tf.max(tf.abs(dBelow)).dataSync()[0]).toBe(0);
    });
  });

  it('config: the stages and the pool are validated, and default to every stage at the scale below', () => {
    const gan = resolveConfig({}).gan;
    expect([gan.stageConsistencyStages, gan.stageConsistencyPool]).toEqual(['all', 1]);
    expect(resolveConfig({ gan: { stageConsistencyStages: 'stage1', stageConsistencyPool: 4 } }).gan.stageConsistencyPool).toBe(4);
    expect(() => resolveConfig({ gan: { stageConsistencyPool: 3 } })).toThrow(/power of two/);
    expect(() => resolveConfig({ gan: { stageConsistencyPool: 0 } })).toThrow(/power of two/);
    expect(() => resolveConfig({ gan: { stageConsistencyStages: 'stage2' } })).toThrow(/must be one of "all", "stage1"/);
  });

  it("gan.stageConsistencyStages 'stage1' leaves the top stage out of the term", async () => {
    const threeStages = (stages: 'all' | 'stage1') =>
      tinyConfig((c) => {
        c.model.imageSizes = [16, 32, 64];
        c.model.channels = [16, 8, 4];
        c.model.editChannels = [16, 8, 8];
        c.gan.stageConsistencyWeight = 100;
        c.gan.stageConsistencyStages = stages;
      });
    const read = async (stages: 'all' | 'stage1') => {
      const t = await eightImageTrainer(threeStages(stages));
      try {
        return (await ganSteps(t, 1))[0].g_stage;
      } finally {
        await t.dispose();
      }
    };
    const all = await read('all');
    const first = await read('stage1');
    expect(first).toBeGreaterThan(0);
    expect(all).toBeGreaterThan(first * 1.05); // Σ over stages 1 and 2 against stage 1's term alone
  }, 120_000);

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
