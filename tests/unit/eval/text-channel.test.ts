import { describe, expect, it } from 'vitest';
import { mulberry32, normalArray } from '../../../model/rng';
import { caChannelBound, nearestCentroidAccuracy } from '../../../training/eval/text-channel';

describe('caChannelBound', () => {
  it('is ½ ln 2 per dimension for two expressions at ±1 through unit noise', () => {
    const mu = [[1, -1], [1, -1], [-1, 1], [-1, 1]];
    const logvar = mu.map(() => [0, 0]);
    const b = caChannelBound(mu, logvar, [0, 0, 1, 1]);
    expect(b.nats).toBeCloseTo(Math.LN2, 10);
    expect(b.bits).toBeCloseTo(1, 10);
    expect(b.dims[0]).toEqual({ signal: 1, noise: 1 });
  });

  it('is zero when μ does not depend on the expression', () => {
    const mu = [[0.3, 2], [0.3, 2], [0.3, 2]];
    expect(caChannelBound(mu, mu.map(() => [-1, 1]), [0, 1, 2]).nats).toBe(0);
  });

  it('grows as the noise shrinks', () => {
    const mu = [[1], [-1]];
    const loud = caChannelBound(mu, [[0], [0]], [0, 1]).nats;
    const quiet = caChannelBound(mu, [[-4], [-4]], [0, 1]).nats;
    expect(quiet).toBeGreaterThan(loud);
  });

  it('rejects labels that skip an expression', () => {
    expect(() => caChannelBound([[0], [1]], [[0], [0]], [0, 2])).toThrow(RangeError);
  });
});

describe('nearestCentroidAccuracy', () => {
  it('is 1 for well-separated expressions and near chance for pure noise', () => {
    const rng = mulberry32(7);
    const labels = Array.from({ length: 400 }, (_, i) => i % 4);
    const axis = (k: number) => [0, 1, 2, 3].map((j) => (j === k ? 10 : 0));
    const separated = labels.map((l) => axis(l).map((x, j) => x + normalArray(rng, 4)[j]));
    expect(nearestCentroidAccuracy(separated, labels)).toBe(1);
    const noise = labels.map(() => Array.from(normalArray(rng, 4)));
    expect(nearestCentroidAccuracy(noise, labels)).toBeLessThan(0.45);
  });
});
