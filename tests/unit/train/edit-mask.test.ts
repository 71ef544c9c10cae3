import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { MemeFaceTrainer } from '../../../training/train/trainer';
import { resolveConfig } from '../../../training/train/config';
import { maskRegulariser } from '../../../training/train/losses';
import { backend, eightImageTrainer, ganSteps, tinyConfig } from './helpers';

/** A tiny run with blend 'mask-shade-colour' and the given edit-mask weights. */
function maskTrainer(tvWeight: number, meanWeight: number): Promise<MemeFaceTrainer> {
  return eightImageTrainer(tinyConfig((c) => {
    c.model.blend = 'mask-shade-colour';
    c.gan.editMaskTvWeight = tvWeight;
    c.gan.editMaskMeanWeight = meanWeight;
  }));
}

describe('gan.editMaskTvWeight and gan.editMaskMeanWeight', () => {
  beforeAll(async () => {
    await backend();
  });

  it('need a blend with an edit mask, and a weight ≥ 0', () => {
    expect(() => resolveConfig({ model: { blend: 'residual' }, gan: { editMaskTvWeight: 1 } })).toThrow(/"gan\.editMaskTvWeight" needs a mask blend/);
    expect(() => resolveConfig({ model: { blend: 'none' }, gan: { editMaskMeanWeight: 1 } })).toThrow(/"gan\.editMaskMeanWeight" needs a mask blend/);
    expect(() => resolveConfig({ model: { blend: 'mask' }, gan: { editMaskTvWeight: -1 } })).toThrow(/"gan\.editMaskTvWeight" must not be negative/);
    expect(resolveConfig({ model: { blend: 'mask-shade' }, gan: { editMaskTvWeight: 2, editMaskMeanWeight: 1 } }).gan.editMaskTvWeight).toBe(2);
  });

  it('the regulariser: TV is 0 on a flat mask and counts each border once; the mean is the mean', () => {
    const flat = tf.fill([1, 4, 4, 1], 0.5) as tf.Tensor4D;
    // Left half 1, right half 0: one vertical border of 4 pixels, 4 of the 12 horizontal steps.
    const split = tf.tensor4d([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0], [1, 4, 4, 1]);
    const a = maskRegulariser(flat);
    const b = maskRegulariser(split);
    expect(a.tv.dataSync()[0]).toBe(0);
    expect(a.mean.dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(b.tv.dataSync()[0]).toBeCloseTo(4 / 12, 6);
    expect(b.mean.dataSync()[0]).toBeCloseTo(0.5, 6);
    tf.dispose([flat, split, a.tv, a.mean, b.tv, b.mean]);
  });

  it('off: no edit-mask terms are logged', async () => {
    const trainer = await maskTrainer(0, 0);
    try {
      const [first] = await ganSteps(trainer, 1);
      expect(first.g_mtv).toBeUndefined();
      expect(first.g_mmean).toBeUndefined();
    } finally {
      await trainer.dispose();
    }
  });

  it('on: both terms are logged, the penalties shrink them, and no tensor leaks per step', async () => {
    const trainer = await maskTrainer(200, 200);
    try {
      const [first] = await ganSteps(trainer, 1);
      expect(first.g_mtv).toBeGreaterThan(0);
      expect(first.g_mmean).toBeGreaterThan(0);
      const before = tf.memory().numTensors;
      const rest = await ganSteps(trainer, 20, 1);
      expect(tf.memory().numTensors).toBe(before);
      const last = rest[rest.length - 1];
      expect(last.g_mmean).toBeLessThan(first.g_mmean * 0.7);
      expect(last.g_mtv).toBeLessThan(first.g_mtv * 0.7);
    } finally {
      await trainer.dispose();
    }
  }, 120_000);
});
