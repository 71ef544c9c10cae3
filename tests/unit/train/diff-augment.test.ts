import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../training/train/config';
import { diffAugment } from '../../../training/train/losses';
import { mulberry32 } from '../../../model/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A [2, 16, 16, 3] batch of distinct colourful images. */
function batch(): tf.Tensor4D {
  const n = 2 * 16 * 16 * 3;
  return tf.tensor4d(Float32Array.from({ length: n }, (_, i) => ((i * 37) % 101) / 100), [2, 16, 16, 3]);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

describe('diffAugment', () => {
  it('translation alone moves pixels without changing their values (colours and features kept)', () => {
    const x = batch();
    const [y] = diffAugment([x], mulberry32(3), 'translation'); // [2, 16, 16, 3]
    expect(y.shape).toEqual([2, 16, 16, 3]);
    const inputs = new Set(Array.from(x.dataSync()).map((v) => v.toFixed(5)));
    for (const v of y.dataSync()) expect(v === 1 || inputs.has(v.toFixed(5))).toBe(true); // a value of x, or the white border
  });

  it('shifts the image, and the full policy also recolours and cuts out', () => {
    const x = batch();
    const shifts = [1, 2, 3, 4, 5].map((seed) => maxAbsDiff(diffAugment([x], mulberry32(seed), 'translation')[0], x));
    expect(Math.max(...shifts)).toBeGreaterThan(0.05); // some seed moves the picture
    const [t] = diffAugment([x], mulberry32(5), 'translation');
    const [all] = diffAugment([x], mulberry32(5));
    expect(maxAbsDiff(all, t)).toBeGreaterThan(0.05); // colour and cutout on top
    const zeros = Array.from(all.dataSync()).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThanOrEqual(2 * 8 * 8 * 3 / 4); // a cutout square per sample (clipped at the edges)
  });

  it('applies one draw to every image passed together (real and fake alike)', () => {
    const x = batch();
    const [a, b] = diffAugment([x, x.clone()], mulberry32(9), 'translation');
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('is chosen by gan.diffAugmentPolicy, default the full policy', () => {
    expect(resolveConfig({}).gan.diffAugmentPolicy).toBe('colour-translation-cutout');
    expect(resolveConfig({ gan: { diffAugment: true, diffAugmentPolicy: 'translation' } }).gan.diffAugmentPolicy).toBe('translation');
  });
});
