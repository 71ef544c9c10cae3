import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { classLoss } from '../../../training/train/losses';
import { disposeBatch, epochOrder, type MemeFaceTrainer } from '../../../training/train/trainer';
import { ConfigError, resolveConfig, type RunConfig } from '../../../training/train/config';
import { backend, eightImageTrainer, ganSteps, tinyConfig } from './helpers';

describe('classLoss (AC-GAN auxiliary classifier)', () => {
  it('is ln K for uniform logits, near 0 for confident right ones and large for confident wrong ones', () => {
    const labels = tf.tensor1d([0, 2], 'int32');
    expect(classLoss(tf.zeros([2, 4]) as tf.Tensor2D, labels).dataSync()[0]).toBeCloseTo(Math.log(4), 5);
    const right = tf.tensor2d([[20, 0, 0, 0], [0, 0, 20, 0]]);
    expect(classLoss(right, labels).dataSync()[0]).toBeLessThan(1e-6);
    const wrong = tf.tensor2d([[0, 20, 0, 0], [20, 0, 0, 0]]);
    expect(classLoss(wrong, labels).dataSync()[0]).toBeGreaterThan(19);
  });
});

/** classWeight undefined: a run folder saved before the key existed (its config.json lacks it). */
async function trainerWith(classWeight: number | undefined): Promise<MemeFaceTrainer> {
  const cfg: RunConfig = tinyConfig((c) => {
    if (classWeight === undefined) delete (c.gan as Partial<RunConfig['gan']>).classWeight;
    else c.gan.classWeight = classWeight;
  });
  return eightImageTrainer(cfg);
}

/**
 * 31 GAN steps on the same 8 images: G's class term is finite, D's falls to under 70% of its
 * first value, and no tensor leaks per step.
 */
async function expectClassHeadLearns(trainer: MemeFaceTrainer, gKey: string, dKey: string): Promise<void> {
  const [first] = await ganSteps(trainer, 1);
  expect(Number.isFinite(first[gKey])).toBe(true);
  expect(first[dKey]).toBeGreaterThan(0);
  const before = tf.memory().numTensors;
  const last = (await ganSteps(trainer, 30, 1)).at(-1)!;
  expect(tf.memory().numTensors).toBe(before);
  expect(last[dKey]).toBeLessThan(first[dKey] * 0.7);
}

/** One GAN step with a head switched off: no parameters under `disc/…/<tag>/` and no loss terms. */
async function expectHeadOff(trainer: MemeFaceTrainer, tag: string, gKey: string, dKey: string): Promise<void> {
  expect(trainer.names('disc/').filter((n) => n.includes(`/${tag}/`))).toEqual([]);
  const b = trainer.makeBatch(epochOrder(trainer.pairCount, 1, 'gan', 0).slice(0, 4), 'gan', 0);
  const losses = await trainer.ganStep(b);
  disposeBatch(b);
  expect(losses[gKey]).toBeUndefined();
  expect(losses[dKey]).toBeUndefined();
}

describe('gan.classWeight', () => {
  beforeAll(async () => {
    await backend();
  });

  it.each([0, undefined])('off (%s): no classifier parameters and no class terms, as in the paper', async (weight) => {
    const trainer = await trainerWith(weight);
    try {
      expect(trainer.classes).toBe(0);
      await expectHeadOff(trainer, 'cls', 'g_cls', 'd_cls');
    } finally {
      await trainer.dispose();
    }
  });

  it('on: one class per expression, D learns the real expressions, and no tensor leaks per step', async () => {
    const trainer = await trainerWith(1);
    try {
      expect(trainer.classes).toBe(4); // eightImages: 2 styles × 4 expressions
      expect(trainer.names('disc/d0/cls/').length).toBeGreaterThan(0);
      // D's classifier sees the same 8 real images every step: its loss must fall well below ln 4.
      await expectClassHeadLearns(trainer, 'g_cls', 'd_cls');
    } finally {
      await trainer.dispose();
    }
  }, 120_000);
});

describe('gan.templateClassWeight', () => {
  beforeAll(async () => {
    await backend();
  });

  const withTemplateWeight = (weight: number | undefined) =>
    eightImageTrainer(tinyConfig((c) => {
      if (weight === undefined) delete (c.gan as Partial<RunConfig['gan']>).templateClassWeight;
      else c.gan.templateClassWeight = weight;
    }));

  it.each([0, undefined])('off (%s): no template-classifier parameters and no template-class terms', async (weight) => {
    const trainer = await withTemplateWeight(weight);
    try {
      expect(trainer.templateClasses).toBe(0);
      await expectHeadOff(trainer, 'tcls', 'g_tcls', 'd_tcls');
    } finally {
      await trainer.dispose();
    }
  });

  it('on: one class per template, D learns which template each real image is drawn in, and no tensor leaks per step', async () => {
    const trainer = await withTemplateWeight(1);
    try {
      expect(trainer.templateClasses).toBe(2); // eightImages: 2 styles × 4 expressions
      expect(trainer.templateIds).toHaveLength(2);
      expect(trainer.names('disc/d0/tcls/').length).toBeGreaterThan(0);
      // Two templates of very different colours: D's template head must fall well below ln 2.
      await expectClassHeadLearns(trainer, 'g_tcls', 'd_tcls');
    } finally {
      await trainer.dispose();
    }
  }, 120_000);
});

describe('gan.templateClassPatches: the template head on the stages that train on patches', () => {
  beforeAll(async () => {
    await backend();
  });

  /** Stage 1 (32 px) trains on 16 px windows; the template head is on, on patches or not. */
  const patched = (onPatches: boolean) =>
    eightImageTrainer(tinyConfig((c) => {
      c.gan.patchSize = 16;
      c.gan.templateClassWeight = 1;
      c.gan.templateClassPatches = onPatches;
    }));

  it('needs a template head', () => {
    expect(() => resolveConfig({ gan: { templateClassPatches: true } })).toThrow(ConfigError);
    expect(resolveConfig({ gan: { templateClassPatches: true, templateClassWeight: 2 } }).gan.templateClassPatches).toBe(true);
  });

  it('off: the patched stage has no template head; on: it has one and it trains', async () => {
    const off = await patched(false);
    try {
      expect(off.names('disc/d0/tcls/').length).toBeGreaterThan(0);
      expect(off.names('disc/d1/tcls/')).toEqual([]);
    } finally {
      await off.dispose();
    }
    const on = await patched(true);
    try {
      const head = on.names('disc/d1/tcls/');
      expect(head.length).toBeGreaterThan(0);
      const before = await on.weights(['disc/d1/tcls/']);
      await expectClassHeadLearns(on, 'g_tcls', 'd_tcls');
      const after = await on.weights(['disc/d1/tcls/']);
      const moved = Math.max(...head.map((n) => Math.max(...after.get(n)!.values.map((x, i) => Math.abs(x - before.get(n)!.values[i])))));
      expect(moved).toBeGreaterThan(0);
    } finally {
      await on.dispose();
    }
  }, 180_000);
});
