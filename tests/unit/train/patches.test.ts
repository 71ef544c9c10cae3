import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { eagerOps as o, VariableStore } from '../../../model/ops/eager';
import { mulberry32 } from '../../../model/rng';
import { memeFaceStage } from '../../../model/memeface/architecture';
import { textEncoder } from '../../../model/memeface/text';
import { modelConfig, resolveConfig, ConfigError } from '../../../training/train/config';
import { cropWindow, patchWindows } from '../../../training/train/patches';
import { train } from '../../../training/train/trainer';
import { backend, eightImages, tinyConfig, tmpRuns } from './helpers';

describe('patch training of the high-resolution stages', () => {
  beforeAll(async () => {
    await backend();
  });

  it('windows chain: each input crop lies inside the previous stage output, at stage-scale coordinates', () => {
    for (let seed = 0; seed < 50; seed++) {
      const w = patchWindows([64, 128, 256], 64, mulberry32(seed));
      expect(w[0]).toBeNull();
      const [w1, w2] = [w[1]!, w[2]!];
      expect(w1.inY).toBeGreaterThanOrEqual(0);
      expect(w1.inY + 32).toBeLessThanOrEqual(64);
      expect(w2.inX + 32).toBeLessThanOrEqual(64); // inside stage 1's 64 px patch
      expect(w1.y).toBe(2 * w1.inY);
      expect(w2.y).toBe(2 * (w1.y + w2.inY));
      expect(w2.y + 64).toBeLessThanOrEqual(256);
    }
    expect(patchWindows([64, 128, 256], 0, mulberry32(1))).toEqual([null, null, null]);
    expect(patchWindows([64, 128], 128, mulberry32(1))).toEqual([null, null]); // not larger than the patch
  });

  it('a stage run on a crop of x̂_{i−1} reproduces the full stage inside the window (away from the zero-padded border)', () => {
    const cfg = modelConfig(tinyConfig((c) => {
      c.model.fusion = 'film';
      c.model.imageSizes = [32, 64]; // large enough that the window has an interior beyond the receptive field
    }), 20);
    const store = new VariableStore(3);
    try {
    const diff = tf.tidy(() => {
      const b = 2;
      const ids = tf.tensor2d([[3, 4, 5, 0, 0, 0], [6, 7, 0, 0, 0, 0]], [b, cfg.maxTokens], 'int32');
      const mask = tf.cast(tf.greater(ids, 0), 'float32');
      const t = textEncoder(o, store, cfg, ids, mask);
      const s0 = cfg.imageSizes[0];
      const s1 = cfg.imageSizes[1];
      const pool: Record<string, tf.Tensor> = { sentence: t.sentence, words: t.words, token_mask: mask, noise: tf.randomNormal([b, cfg.zDim], 0, 1, 'float32', 1) };
      pool[`template_${s0}`] = tf.randomUniform([b, s0, s0, 3], -1, 1, 'float32', 2);
      pool[`h_${s0}`] = memeFaceStage(o, store, cfg, 0, pool).h;
      const template1 = tf.randomUniform([b, s1, s1, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
      const full = memeFaceStage(o, store, cfg, 1, { ...pool, [`template_${s1}`]: template1 }).image as tf.Tensor4D; // [B, 64, 64, 3]
      // Window: input rows/cols 8..24 of the 32 px map → output 16..48 of the 64 px image.
      const h = cropWindow(pool[`h_${s0}`] as tf.Tensor4D, 8, 8, 16);
      const patch = memeFaceStage(o, store, cfg, 1, { ...pool, [`h_${s0}`]: h, [`template_${s1}`]: cropWindow(template1, 16, 16, 32) }).image as tf.Tensor4D; // [B, 32, 32, 3]
      // The receptive field reaches a few pixels in from the zero-padded border; compare the 8×8 centre.
      return tf.max(tf.abs(tf.sub(cropWindow(full, 28, 28, 8), cropWindow(patch, 12, 12, 8))));
    });
    expect(diff.dataSync()[0]).toBeLessThan(1e-5);
    diff.dispose();
    } finally {
      store.dispose();
    }
  });

  it('rejects a patch size that is not a power of two', () => {
    expect(() => resolveConfig({ gan: { patchSize: 48 } }, 'x.json')).toThrow(ConfigError);
    expect(() => resolveConfig({ gan: { patchSize: 48 } }, 'x.json')).toThrow(/gan\.patchSize/);
  });

  it('trains with patches: D_i is built at patch size and every step is finite', async () => {
    const cfg = tinyConfig((c) => {
      c.gan.patchSize = 16; // stage 1 (32 px) trains on 16 px windows
      c.damsm.epochs = 1;
      c.gan.epochs = 2;
    });
    const r = await train({ config: cfg, data: await eightImages(cfg), runsRoot: tmpRuns(), quiet: true });
    expect(r.stopped).toBe('done');
    const gan = r.records.filter((x) => x.phase === 'gan');
    expect(gan.length).toBeGreaterThan(0);
    for (const x of gan) for (const v of Object.values(x.losses)) expect(Number.isFinite(v)).toBe(true);
  }, 120_000);
});
