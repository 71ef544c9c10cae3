import { describe, expect, it } from 'vitest';
import { flipHorizontal, resizeSquare } from '../../../training/eval/image-features';
import { colourJitter, STYLE_DIM, STYLE_SIZE, styleFeatures } from '../../../training/eval/style-features';
import { mulberry32 } from '../../../model/rng';

type Rgb = [number, number, number];
function square(size: number, pixel: (x: number, y: number) => Rgb): { size: number; data: Float32Array } {
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.set(pixel(x, y), (y * size + x) * 3);
  return { size, data };
}
const WHITE: Rgb = [1, 1, 1];
const BLACK: Rgb = [-1, -1, -1];
const inDisc = (x: number, y: number, r: number) => (x - 32) ** 2 + (y - 32) ** 2 < r * r;
/** A flat-filled face: a disc of `fill` with a ring of `line` (`width` px) on white. */
const face = (fill: Rgb, line: Rgb, width: number) => square(64, (x, y) => (inDisc(x, y, 24 - width) ? fill : inDisc(x, y, 24) ? line : WHITE));
const l1 = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0);

describe('style descriptor (template classifier)', () => {
  const noto = face([0.98, 0.52, -0.79], BLACK, 2);

  it('has STYLE_DIM finite values, is deterministic and each histogram is a unit vector', () => {
    const f = styleFeatures(noto);
    expect(f).toHaveLength(STYLE_DIM);
    expect(f.every(Number.isFinite)).toBe(true);
    expect(styleFeatures(noto)).toEqual(f);
    // Hellinger map: the squares of each part sum to 1 (every part has at least one count here).
    for (const [start, end] of [[0, 512], [512, 524], [524, 588], [588, STYLE_DIM]]) {
      expect(f.subarray(start, end).reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 5);
    }
  });

  it(`reads the image at ${STYLE_SIZE} px: a 256 px face gives its box-filtered ${STYLE_SIZE} px version's features`, () => {
    const big = square(256, (x, y) => ((x - 128) ** 2 + (y - 128) ** 2 < 80 ** 2 ? [0.98, 0.52, -0.79] : (x - 128) ** 2 + (y - 128) ** 2 < 96 ** 2 ? BLACK : WHITE));
    expect(styleFeatures(big)).toEqual(styleFeatures(resizeSquare(big, STYLE_SIZE)));
    expect(STYLE_SIZE).toBe(128);
  });

  it('separates 2 px from 3 px outlines in its stroke-width runs (at 64 px the distance was 1.03)', () => {
    const ring = (width: number) => square(128, (x, y) => ((x - 64) ** 2 + (y - 64) ** 2 < (48 - width) ** 2 ? WHITE : (x - 64) ** 2 + (y - 64) ** 2 < 48 ** 2 ? BLACK : WHITE));
    const runs = (f: Float32Array) => f.subarray(588);
    expect(l1(runs(styleFeatures(ring(2))), runs(styleFeatures(ring(3))))).toBeGreaterThan(2); // 2.40 at 128 px
  });

  it('is unchanged by mirroring (style does not depend on which way the face looks)', () => {
    const lopsided = square(64, (x, y) => (inDisc(x, y, 20) ? (x < 28 ? [1, 0.6, -1] : [1, 0.2, -1]) : WHITE));
    expect(styleFeatures(flipHorizontal(lopsided))).toEqual(styleFeatures(lopsided));
  });

  it('moves more with the fill colour or the stroke width than with the expression drawn in the same style', () => {
    const smiling = square(64, (x, y) => (y > 38 && y < 41 && x > 24 && x < 40 ? BLACK : noto.data.slice((y * 64 + x) * 3, (y * 64 + x) * 3 + 3) as unknown as Rgb));
    const otherFill = face([1, 0.8, -0.4], BLACK, 2);
    const thickLine = face([0.98, 0.52, -0.79], BLACK, 6);
    const base = styleFeatures(noto);
    const sameStyle = l1(base, styleFeatures(smiling));
    expect(l1(base, styleFeatures(otherFill))).toBeGreaterThan(2 * sameStyle);
    expect(l1(base, styleFeatures(thickLine))).toBeGreaterThan(2 * sameStyle);
  });

  it('a blank image has no edges and no ink: those parts are zero, not NaN', () => {
    const f = styleFeatures(square(64, () => WHITE));
    expect(f.every(Number.isFinite)).toBe(true);
    expect(f.subarray(524).every((v) => v === 0)).toBe(true);
  });

  it('the colour jitter is seeded, stays in [-1, 1] and shifts a flat fill by at most 0.06 plus noise', () => {
    const flat = square(64, () => [0.98, 0.52, -0.99]);
    const a = colourJitter(flat, mulberry32(5));
    expect(colourJitter(flat, mulberry32(5)).data).toEqual(a.data);
    expect(a.data.every((v) => v >= -1 && v <= 1)).toBe(true);
    const meanShift = [0, 1, 2].map((c) => a.data.filter((_, i) => i % 3 === c).reduce((s, v) => s + v, 0) / (64 * 64) - flat.data[c]);
    for (const d of meanShift.slice(0, 2)) expect(Math.abs(d)).toBeLessThan(0.065);
    expect(a.data).not.toEqual(flat.data);
  });
});
