/**
 * The template classifier's frozen style descriptor: what a style family shares across its
 * expressions, and little of what the expression changes. The shape-heavy descriptor
 * (image-features.ts) lets a classifier learn "this mouth is noto's": it named only 82% of the
 * held-out real images' templates, so template fidelity could not be read against a 95% target.
 * This one is palette, shading and line work only: 89.0% on the same images at 64 px (evaluator
 * version 4). It is read at 128 px since version 5, where the Fluent styles' shading and the
 * line-drawn families' stroke widths survive (one MLP: 88.4% → 92.5% in a one-off comparison), and
 * since version 6 it names the style family only; cat or face is read from the layout descriptor
 * (evaluators.ts), and the judge names 91.8% (docs/EVALUATION.md).
 *
 * Input: one square RGB image, HWC floats in [-1, 1], read at STYLE_SIZE px (box-filtered from the
 * 256 px output). Output (STYLE_DIM floats, all square roots of fractions — the Hellinger map, so
 * a dominant bin (the background) does not drown the rest):
 *   RGB colour histogram 8×8×8 (512)                  — the family's exact fills and outline colours
 *   gradient-magnitude histogram, 12 log2 bins (12)    — flat fills vs soft shading (fluent-3d)
 *   colour histogram 4×4×4 of edge pixels (64)         — outline colour (black, dark brown, none)
 *   run lengths of dark pixels, rows and columns, 1..16+ px (32) — stroke width of line-drawn styles
 */
import { gradients, greyOf, resizeSquare, type SquareImage } from './image-features';

/** The side the style descriptor reads (the model's 128 px stage; twice the other descriptor's). */
export const STYLE_SIZE = 128;
/** Run-length bins per direction: 1 .. RUN_BINS+ px. */
const RUN_BINS = 16;
export const STYLE_DIM = 512 + 12 + 64 + 2 * RUN_BINS;
/**
 * Gradient magnitude (luma units per 2 px) above which a pixel counts as an edge: 0.25 at 64 px,
 * halved at 128 px, where the same antialiased outline spreads over twice the pixels.
 */
const EDGE_MAGNITUDE = 0.25 * (64 / STYLE_SIZE);
/** Luma below which a pixel counts as ink for the stroke-width runs. */
const DARK_LUMA = 0.5;

export function styleFeatures(image: SquareImage): Float32Array {
  const img = resizeSquare(image, STYLE_SIZE);
  const luma = greyOf(img); // [S, S] in [0, 1]
  const out = new Float32Array(STYLE_DIM);
  out.set(colourHistogram(img.data, 8), 0);
  const { magnitudes, edgeColours } = gradientStatistics(img.data, luma);
  out.set(magnitudes, 512);
  out.set(edgeColours, 524);
  out.set(darkRuns(luma), 588); // [2·RUN_BINS]
  return out;
}

/** Channel value in [-1, 1] → level 0..levels-1. */
const level = (v: number, levels: number) => Math.min(levels - 1, Math.max(0, Math.floor(((v + 1) / 2) * levels)));

/** sqrt(fraction of pixels) per levels³ RGB bin. [S, S, 3] → [levels³] */
function colourHistogram(data: Float32Array, levels: number): Float32Array {
  const out = new Float32Array(levels ** 3);
  const n = data.length / 3;
  for (let i = 0; i < n; i++) out[(level(data[i * 3], levels) * levels + level(data[i * 3 + 1], levels)) * levels + level(data[i * 3 + 2], levels)] += 1;
  return hellinger(out, n);
}

/** Log2-binned gradient magnitudes of all pixels [12], and the colours of the edge pixels [64]. */
function gradientStatistics(data: Float32Array, luma: Float32Array): { magnitudes: Float32Array; edgeColours: Float32Array } {
  const { magnitude } = gradients(luma, STYLE_SIZE); // [S, S], the HOG's central differences
  const magnitudes = new Float32Array(12);
  const edgeColours = new Float32Array(64);
  let edges = 0;
  magnitude.forEach((m, p) => {
    // Bin 0 is flat (< 1e-3); bin k ≥ 1 holds magnitudes in [1e-3·2^(k-1), 1e-3·2^k).
    magnitudes[m < 1e-3 ? 0 : Math.min(11, 1 + Math.floor(Math.log2(m / 1e-3)))] += 1;
    if (m > EDGE_MAGNITUDE) {
      edgeColours[level(data[p * 3], 4) * 16 + level(data[p * 3 + 1], 4) * 4 + level(data[p * 3 + 2], 4)] += 1;
      edges++;
    }
  });
  return { magnitudes: hellinger(magnitudes, magnitude.length), edgeColours: hellinger(edgeColours, edges) };
}

/** Lengths of horizontal [0..15] and vertical [16..31] runs of dark pixels, 1..16+ px. [S, S] → [32] */
function darkRuns(luma: Float32Array): Float32Array {
  const s = STYLE_SIZE;
  const out = new Float32Array(2 * RUN_BINS);
  let runs = 0;
  for (const [offset, dark] of [
    [0, (a: number, b: number) => luma[a * s + b] < DARK_LUMA],
    [RUN_BINS, (a: number, b: number) => luma[b * s + a] < DARK_LUMA],
  ] as const) {
    for (let a = 0; a < s; a++) {
      let run = 0;
      for (let b = 0; b <= s; b++) {
        if (b < s && dark(a, b)) run++;
        else if (run) {
          out[offset + Math.min(RUN_BINS - 1, run - 1)] += 1;
          runs++;
          run = 0;
        }
      }
    }
  }
  return hellinger(out, runs);
}

/** Counts → sqrt(count / total), in place; all zeros when total is 0. */
function hellinger(counts: Float32Array, total: number): Float32Array {
  for (let i = 0; i < counts.length; i++) counts[i] = total > 0 ? Math.sqrt(counts[i] / total) : 0;
  return counts;
}

/**
 * A training view for the template classifier: a per-channel offset of up to ±0.06 (±8/255) and
 * pixel noise of σ 0.02. A generator never reproduces a family's fill to the exact 8-level bin, and
 * without these views a shift of 0.04 or noise of σ 0.03 — invisible to a person — cost the
 * classifier 3–15 points on real test images (89.0% → 80.1% / 74.0%); with them, 88.4% / 87.0%.
 */
export function colourJitter(image: SquareImage, rng: () => number): SquareImage {
  const offset = [0, 1, 2].map(() => 0.06 * (2 * rng() - 1));
  const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const data = image.data.map((v, i) => Math.max(-1, Math.min(1, v + offset[i % 3] + 0.02 * gauss())));
  return { size: image.size, data };
}
