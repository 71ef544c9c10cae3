import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../training/train/config';
import { mirroredRows, mirrorImage } from '../../../training/train/augment';
import { disposeBatch, epochOrder } from '../../../training/train/trainer';
import { backend, eightImageTrainer, tinyConfig } from './helpers';

beforeAll(async () => {
  await backend();
});

/** A 4×4×3 image whose every pixel is (x, y, x + y). */
function ramp(size: number): Float32Array {
  const a = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) a.set([x, y, x + y], (y * size + x) * 3);
  return a;
}

describe('data.flip (AttnGAN\'s random horizontal flip)', () => {
  it('mirrors an image about its vertical axis, pixel by pixel', () => {
    const m = mirrorImage(ramp(4), 4);
    expect(Array.from(m.subarray(0, 3))).toEqual([3, 0, 3]); // (0, 0) now holds (3, 0)
    expect(Array.from(m.subarray((2 * 4 + 1) * 3, (2 * 4 + 1) * 3 + 3))).toEqual([2, 2, 4]); // (1, 2) holds (2, 2)
    expect(Array.from(mirrorImage(m, 4))).toEqual(Array.from(ramp(4))); // twice is the identity
    expect(() => mirrorImage(new Float32Array(10), 4)).toThrow(/not a 4×4×3 image/);
  });

  it('mirrors about half the rows, the same ones for the same (seed, phase, step)', () => {
    const rows = mirroredRows(1, 'gan', 7, 400);
    const share = rows.filter(Boolean).length / rows.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    expect(mirroredRows(1, 'gan', 7, 400)).toEqual(rows);
    expect(mirroredRows(1, 'gan', 8, 400)).not.toEqual(rows);
  });

  it('is off by default and a known key', () => {
    expect(resolveConfig({}).data.flip).toBe(false);
    expect(resolveConfig({ data: { flip: true } }).data.flip).toBe(true);
    expect(() => resolveConfig({ data: { flip: 'yes' } })).toThrow(/data.flip/);
  });

  describe('in a batch', () => {
    it('mirrors image and template together, keeps the noise, and leaves the fixed measuring set alone', async () => {
      const cfg = tinyConfig();
      const trainer = await eightImageTrainer(cfg); // reads cfg.data.flip when it makes a batch
      const order = epochOrder(trainer.pairCount, 1, 'gan', 0).slice(0, 4);
      const step = 3;
      const rows = mirroredRows(cfg.seed, 'gan', step, 4);
      expect(rows.some(Boolean)).toBe(true); // this step mirrors something, or the test proves nothing
      const a = trainer.makeBatch(order, 'gan', step);
      cfg.data.flip = true;
      const b = trainer.makeBatch(order, 'gan', step);
      const fixed = trainer.makeBatch(order, 'gan', step, 1, false);
      expect(Array.from(b.noise.dataSync())).toEqual(Array.from(a.noise.dataSync()));
      for (const s of cfg.model.imageSizes) {
        const n = s * s * 3;
        for (const key of ['images', 'templates'] as const) {
          const pa = a[key][s].dataSync() as Float32Array;
          const pb = b[key][s].dataSync() as Float32Array;
          rows.forEach((m, i) => {
            const want = m ? mirrorImage(pa.slice(i * n, (i + 1) * n), s) : pa.slice(i * n, (i + 1) * n);
            expect(Array.from(pb.slice(i * n, (i + 1) * n))).toEqual(Array.from(want));
          });
          expect(Array.from(fixed[key][s].dataSync())).toEqual(Array.from(pa));
        }
      }
      for (const batch of [a, b, fixed]) disposeBatch(batch);
      await trainer.dispose();
    });
  });
});
