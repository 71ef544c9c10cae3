import { describe, expect, it } from 'vitest';
import { mulberry32, normalArray } from '../../../model/rng';
import { frechetDistanceOfSets, frechetDistance } from '../../../training/eval/frechet';
import { sqrtPsd, multiply, symmetricEigen, type Matrix } from '../../../training/eval/linalg';
import { confusions, rateByKey, meanPairwiseDistance, pixelRmse, rPrecision, rPrecisionOverMembers, topKAccuracy, type RetrievalQuery } from '../../../training/eval/metrics';
import { perTemplate, topConfusions } from '../../../training/eval/report';
import type { SystemMetrics } from '../../../training/eval/evaluate-system';

const rng = mulberry32(1234);
const randomVec = (d: number) => Array.from(normalArray(rng, d));

/** 1 true + 99 mismatched captions, as AttnGAN builds each R-precision query. */
function queries(n: number, d: number, perfect: boolean): RetrievalQuery[] {
  const texts = Array.from({ length: n }, () => randomVec(d));
  return texts.map((t, i) => ({
    image: perfect ? t : randomVec(d),
    candidates: [t, ...Array.from({ length: 99 }, (_, k) => texts[(i + 1 + k) % n])],
  }));
}

describe('R-precision', () => {
  it('is 100% for a perfect encoder', () => {
    const r = rPrecision(queries(300, 16, true), 10);
    expect(r.mean).toBe(1);
    expect(r.std).toBe(0);
    expect(r.splits).toHaveLength(10);
  });

  it('is about 1% (chance, 1 in 100) for random features', () => {
    const r = rPrecision(queries(3000, 16, false), 10);
    expect(r.mean).toBeGreaterThan(0.003);
    expect(r.mean).toBeLessThan(0.02);
  });

  it('counts ties as misses, so a constant image embedding scores 0', () => {
    const qs = queries(50, 8, true).map((q) => ({ ...q, candidates: q.candidates.map(() => [1, 0, 0, 0, 0, 0, 0, 0]) }));
    expect(rPrecision(qs, 5).mean).toBe(0);
  });

  it('over evaluator members: the mean of the members\' R-precisions, each member listed', () => {
    const perfect = queries(200, 16, true);
    const random = queries(200, 16, false);
    const r = rPrecisionOverMembers([perfect, random, perfect], 10);
    const one = rPrecision(random, 10).mean;
    expect(r.byMember).toEqual([1, one, 1]);
    expect(r.score.mean).toBeCloseTo((2 + one) / 3, 10);
    expect(r.score.splits).toHaveLength(10);
    expect(rPrecisionOverMembers([random], 10).score).toEqual(rPrecision(random, 10)); // one member: the plain R-precision
  });
});

describe('Fréchet distance', () => {
  const sample = (n: number, d: number, shift: number[], scale = 1) =>
    Array.from({ length: n }, () => randomVec(d).map((v, j) => v * scale + shift[j]));

  it('is 0 for identical sets', () => {
    const a = sample(200, 12, Array(12).fill(0));
    expect(frechetDistanceOfSets(a, a)).toBeLessThan(1e-9);
  });

  it('matches the closed form |Δμ|² for Gaussians with equal covariance', () => {
    const d = 3;
    const cov: Matrix = { n: d, data: Float64Array.from([2, 0.5, 0, 0.5, 1, 0.2, 0, 0.2, 3]) };
    const fd = frechetDistance({ mean: Float64Array.from([0, 0, 0]), cov }, { mean: Float64Array.from([1, 2, 2]), cov });
    expect(fd).toBeCloseTo(9, 9);
  });

  it('matches the closed form for isotropic Gaussians: |Δμ|² + d(σ₁ − σ₂)²', () => {
    const iso = (s: number): Matrix => ({ n: 4, data: Float64Array.from([s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, 0, 0, 0, s]) });
    const fd = frechetDistance({ mean: new Float64Array(4), cov: iso(1) }, { mean: Float64Array.from([3, 0, 0, 0]), cov: iso(4) });
    expect(fd).toBeCloseTo(9 + 4 * (1 - 2) ** 2, 9);
  });

  it('of sampled shifted Gaussians approaches the closed form', () => {
    const a = sample(4000, 4, [0, 0, 0, 0]);
    const b = sample(4000, 4, [2, 0, 0, 0]);
    expect(frechetDistanceOfSets(a, b)).toBeCloseTo(4, 0);
  });
});

describe('linear algebra', () => {
  it('Jacobi eigenvalues of a known symmetric matrix', () => {
    const { values } = symmetricEigen({ n: 2, data: Float64Array.from([2, 1, 1, 2]) });
    expect([...values].sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
  });

  it('sqrtPsd squares back to the matrix', () => {
    const m: Matrix = { n: 3, data: Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]) };
    const r = sqrtPsd(m);
    multiply(r, r).data.forEach((v, i) => expect(v).toBeCloseTo(m.data[i], 10));
  });
});

describe('other metrics', () => {
  it('top-k accuracy', () => {
    const scores = [[0.1, 0.9, 0.0], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]];
    expect(topKAccuracy(scores, [1, 1, 0], 1)).toBeCloseTo(1 / 3);
    expect(topKAccuracy(scores, [1, 1, 0], 2)).toBeCloseTo(2 / 3);
    expect(topKAccuracy(scores, [1, 1, 0], 3)).toBe(1);
  });

  it('diversity of identical outputs is 0 (mode collapse) and of two unit-apart points is 1', () => {
    expect(meanPairwiseDistance([[1, 2], [1, 2], [1, 2]])).toBe(0);
    expect(meanPairwiseDistance([[0, 0], [1, 0]])).toBe(1);
  });

  it('pixel RMSE is on a 0..1 scale: black vs white is 1', () => {
    expect(pixelRmse([-1, -1, -1], [1, 1, 1])).toBe(1);
    expect(pixelRmse([0.5], [0.5])).toBe(0);
  });
});

describe('template fidelity per template', () => {
  it('gives each key its own share and count', () => {
    const by = rateByKey(['a', 'b', 'a', 'a', 'b'], [true, false, false, true, false]);
    expect(by.a.pairs).toBe(3);
    expect(by.a.rate).toBeCloseTo(2 / 3, 12);
    expect(by.b).toEqual({ pairs: 2, rate: 0 });
  });

  it('is listed lowest first in the report, and as a dash for results without it', () => {
    const s = { templateFidelityByTemplate: { noto: { pairs: 4, rate: 1 }, 'noto-cat': { pairs: 5, rate: 0.4 } } } as unknown as SystemMetrics;
    expect(perTemplate(s)).toBe('noto-cat 40.0% (5), noto 100.0% (4)');
    expect(perTemplate({} as SystemMetrics)).toBe('—');
  });

  it('confusions counts each wrong answer, most frequent first, and ignores right ones', () => {
    const asked = ['a', 'a', 'a', 'b', 'b', 'c'];
    const named = ['a', 'b', 'b', 'c', 'b', 'a'];
    expect(confusions(asked, named)).toEqual([
      { asked: 'a', named: 'b', count: 2 },
      { asked: 'b', named: 'c', count: 1 },
      { asked: 'c', named: 'a', count: 1 },
    ]);
    expect(confusions(['x'], ['x'])).toEqual([]);
  });

  it('the report lists the most frequent confusions, and a dash for results without them', () => {
    const s = { templateConfusions: [{ asked: 'a', named: 'b', count: 2 }, { asked: 'c', named: 'a', count: 1 }] } as unknown as SystemMetrics;
    expect(topConfusions(s)).toBe('a → b 2, c → a 1');
    expect(topConfusions(s, 1)).toBe('a → b 2');
    expect(topConfusions({} as SystemMetrics)).toBe('—');
  });
});
