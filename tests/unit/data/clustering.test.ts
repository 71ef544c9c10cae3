import { describe, expect, it } from 'vitest';
import { imageFeatures, standardiseFeatures } from '../../../training/data/images/features';
import { kMeans, normalisedMutualInformation, outlierIndices, purity } from '../../../training/data/images/kmeans';
import { rasterise } from '../../../training/data/images/raster';
import { faceSvg, type Style } from './helpers';

const raster = { imageSize: 64, derivedSizes: [32], marginFraction: 0.06 };

async function styledFeatures(): Promise<{ features: Float64Array[]; labels: Style[] }> {
  const features: Float64Array[] = [];
  const labels: Style[] = [];
  for (const style of ['yellow-flat', 'blue-outline'] as const) {
    for (let mood = 0; mood < 8; mood++) {
      const { rgb } = await rasterise(Buffer.from(faceSvg(style, mood)), 'svg', raster);
      features.push(imageFeatures(rgb, 64));
      labels.push(style);
    }
  }
  return { features, labels };
}

describe('template discovery', () => {
  it('separates two drawing styles perfectly (purity and NMI 1)', async () => {
    const { features, labels } = await styledFeatures();
    const result = kMeans(standardiseFeatures(features), 2, 7);
    expect(purity(result.assignments, labels)).toBe(1);
    expect(normalisedMutualInformation(result.assignments, labels)).toBeCloseTo(1, 6);
  });

  it('is deterministic for a seed', async () => {
    const { features } = await styledFeatures();
    const points = standardiseFeatures(features);
    const a = kMeans(points, 3, 123, 3);
    const b = kMeans(points, 3, 123, 3);
    expect(a.assignments).toEqual(b.assignments);
    expect(a.inertia).toBe(b.inertia);
  });

  it('agreement measures are low for random labels', () => {
    const assignments = [0, 0, 0, 0, 1, 1, 1, 1];
    const labels = ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'];
    expect(purity(assignments, labels)).toBe(0.5);
    expect(normalisedMutualInformation(assignments, labels)).toBeCloseTo(0, 6);
  });

  it('flags a planted outlier and nothing else', () => {
    const points = [...Array.from({ length: 12 }, (_, i) => Float64Array.from([i % 3 * 0.1, (i % 4) * 0.1])), Float64Array.from([5, 5])];
    const result = kMeans(points, 1, 1);
    expect([...outlierIndices(result, 2.5)]).toEqual([12]);
  });

  it('trims drawings to the outline and centres them on white', async () => {
    const padded = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect x="40" y="40" width="20" height="20" fill="#000"/></svg>`;
    const { rgb, pngBySize } = await rasterise(Buffer.from(padded), 'svg', raster);
    expect(rgb[0]).toBe(255); // corner is white margin
    expect(rgb[(32 * 64 + 32) * 3]).toBeLessThan(20); // centre is the drawing
    expect(rgb[(6 * 64 + 6) * 3]).toBeLessThan(60); // the 20 px square now fills the frame
    expect([...pngBySize.keys()]).toEqual([64, 32]);
  });
});
