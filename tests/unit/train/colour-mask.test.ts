import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { MemeFaceTrainer } from '../../../training/train/trainer';
import { resolveConfig } from '../../../training/train/config';
import { backend, eightImageTrainer, ganSteps, tinyConfig } from './helpers';

/** A tiny run with blend 'mask-shade-colour' and the given gan.colourMaskWeight. */
function shadeColourTrainer(weight: number): Promise<MemeFaceTrainer> {
  return eightImageTrainer(tinyConfig((c) => {
    c.model.blend = 'mask-shade-colour';
    c.gan.colourMaskWeight = weight;
  }));
}

describe('gan.colourMaskWeight', () => {
  beforeAll(async () => {
    await backend();
  });

  it('needs the blend that has a colour mask', () => {
    expect(() => resolveConfig({ gan: { colourMaskWeight: 1 } })).toThrow(/"gan\.colourMaskWeight" needs "model\.blend": "mask-shade-colour"/);
    expect(resolveConfig({ model: { blend: 'mask-shade-colour' }, gan: { colourMaskWeight: 1 } }).gan.colourMaskWeight).toBe(1);
  });

  it('off: no colour-mask term is logged', async () => {
    const trainer = await shadeColourTrainer(0);
    try {
      const [first] = await ganSteps(trainer, 1);
      expect(first.g_cmask).toBeUndefined();
    } finally {
      await trainer.dispose();
    }
  });

  it('on: the mean colour mask is logged, the penalty shuts it, and no tensor leaks per step', async () => {
    const trainer = await shadeColourTrainer(200);
    try {
      const [first] = await ganSteps(trainer, 1);
      expect(first.g_cmask).toBeGreaterThan(0);
      const before = tf.memory().numTensors;
      const rest = await ganSteps(trainer, 20, 1);
      expect(tf.memory().numTensors).toBe(before);
      expect(rest[rest.length - 1].g_cmask).toBeLessThan(first.g_cmask * 0.7);
    } finally {
      await trainer.dispose();
    }
  }, 120_000);
});
