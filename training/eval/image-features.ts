/**
 * The evaluator's frozen image descriptor, the stand-in for DAMSM's frozen ImageNet Inception:
 * hand-built, deterministic and backend-free (plain TypeScript), so generated and real images are
 * measured by exactly the same numbers on every machine. Only the projections on top are trained.
 *
 * Input: one 64×64 RGB image, HWC floats in [-1, 1] (the model's pixel convention).
 * Output (FEATURE_DIM floats):
 *   HOG, 8 px cells, 9 unsigned orientations, each cell L2-normalised by its 3×3-cell
 *     neighbourhood's energy (8·8·9 = 576)                                      — shape of eyes/mouth
 *   HOG, 16 px cells, 9 orientations, one global L2 norm (4·4·9 = 144)         — coarse layout
 *   RGB thumbnail 8×8 in [0, 1] (192)                                           — palette and placement
 *   grey thumbnail 16×16 in [0, 1] (256)                                        — finer placement
 *   RGB colour histogram 4×4×4, fractions (64)                                   — style's palette
 */
export const FEATURE_SIZE = 64;
export const FEATURE_DIM = 576 + 144 + 192 + 256 + 64;
const BINS = 9;

export class ImageSizeError extends Error {
  override name = 'ImageSizeError';
}

/** Square HWC RGB image in [-1, 1]. */
export interface SquareImage {
  size: number;
  data: Float32Array; // [S, S, 3]
}

export function imageFeatures(image: SquareImage): Float32Array {
  const img = toFeatureSize(image);
  const grey = greyOf(img);
  const { magnitude, bin } = gradients(grey, FEATURE_SIZE);
  const parts = [
    neighbourhoodNormalised(cellHistograms(magnitude, bin, 8), 8),
    globalNormalised(cellHistograms(magnitude, bin, 16)),
    thumbnail(img.data, FEATURE_SIZE, 8, 3),
    thumbnail(grey, FEATURE_SIZE, 16, 1),
    colourHistogram(img.data),
  ];
  const out = new Float32Array(FEATURE_DIM);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The image at the descriptor's 64 px (`resizeSquare`). */
export function toFeatureSize(image: SquareImage): SquareImage {
  return resizeSquare(image, FEATURE_SIZE);
}

/**
 * The image at `size` px: box-filter downsampling when the size divides evenly (our 64/128/256
 * stages), else nearest-neighbour sampling (which also upsamples a smaller image).
 */
export function resizeSquare(image: SquareImage, size: number): SquareImage {
  if (image.size === size) return image;
  if (image.data.length !== image.size * image.size * 3) throw new ImageSizeError(`Image data has ${image.data.length} floats, expected ${image.size}²·3.`);
  const out = new Float32Array(size * size * 3);
  if (image.size % size === 0) {
    const f = image.size / size;
    for (let y = 0; y < image.size; y++) {
      for (let x = 0; x < image.size; x++) {
        const o = (Math.floor(y / f) * size + Math.floor(x / f)) * 3;
        for (let c = 0; c < 3; c++) out[o + c] += image.data[(y * image.size + x) * 3 + c] / (f * f);
      }
    }
  } else {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const sy = Math.floor(((y + 0.5) * image.size) / size);
        const sx = Math.floor(((x + 0.5) * image.size) / size);
        for (let c = 0; c < 3; c++) out[(y * size + x) * 3 + c] = image.data[(sy * image.size + sx) * 3 + c];
      }
    }
  }
  return { size, data: out };
}

/** Luma in [0, 1]. [S, S, 3] → [S, S]. */
export function greyOf(img: SquareImage): Float32Array {
  const n = img.size * img.size;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = img.data;
    out[i] = (0.299 * d[i * 3] + 0.587 * d[i * 3 + 1] + 0.114 * d[i * 3 + 2] + 1) / 2;
  }
  return out;
}

/** Central-difference gradients; orientation folded to [0, π) and binned. */
export function gradients(grey: Float32Array, s: number): { magnitude: Float32Array; bin: Uint8Array } {
  const magnitude = new Float32Array(s * s);
  const bin = new Uint8Array(s * s);
  const at = (x: number, y: number) => grey[Math.min(s - 1, Math.max(0, y)) * s + Math.min(s - 1, Math.max(0, x))];
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const gx = at(x + 1, y) - at(x - 1, y);
      const gy = at(x, y + 1) - at(x, y - 1);
      magnitude[y * s + x] = Math.hypot(gx, gy);
      const angle = (Math.atan2(gy, gx) + Math.PI) % Math.PI;
      bin[y * s + x] = Math.min(BINS - 1, Math.floor((angle / Math.PI) * BINS));
    }
  }
  return { magnitude, bin };
}

/** [cells, cells, BINS] magnitude-weighted orientation histograms. */
function cellHistograms(magnitude: Float32Array, bin: Uint8Array, cell: number): Float32Array {
  const cells = FEATURE_SIZE / cell;
  const out = new Float32Array(cells * cells * BINS);
  for (let y = 0; y < FEATURE_SIZE; y++) {
    for (let x = 0; x < FEATURE_SIZE; x++) {
      const c = (Math.floor(y / cell) * cells + Math.floor(x / cell)) * BINS;
      out[c + bin[y * FEATURE_SIZE + x]] += magnitude[y * FEATURE_SIZE + x];
    }
  }
  return out;
}

/**
 * Each cell divided by the L2 energy of its 3×3 cell neighbourhood: the contrast normalisation of
 * Dalal–Triggs blocks at a quarter of the size (the evaluator's networks train on 2 shared cores).
 */
function neighbourhoodNormalised(hist: Float32Array, cells: number): Float32Array {
  const out = new Float32Array(hist.length);
  for (let cy = 0; cy < cells; cy++) {
    for (let cx = 0; cx < cells; cx++) {
      let energy = 1e-4; // keeps flat (background) cells near zero
      for (let y = Math.max(0, cy - 1); y <= Math.min(cells - 1, cy + 1); y++) {
        for (let x = Math.max(0, cx - 1); x <= Math.min(cells - 1, cx + 1); x++) {
          for (let b = 0; b < BINS; b++) energy += hist[(y * cells + x) * BINS + b] ** 2;
        }
      }
      const o = (cy * cells + cx) * BINS;
      for (let b = 0; b < BINS; b++) out[o + b] = hist[o + b] / Math.sqrt(energy);
    }
  }
  return out;
}

function globalNormalised(hist: Float32Array): Float32Array {
  const out = Float32Array.from(hist);
  normaliseRange(out, 0, out.length);
  return out;
}

function normaliseRange(v: Float32Array, start: number, length: number): void {
  let s = 0;
  for (let i = start; i < start + length; i++) s += v[i] * v[i];
  const norm = Math.sqrt(s + 1e-4); // the epsilon keeps flat (background) blocks near zero
  for (let i = start; i < start + length; i++) v[i] /= norm;
}

/** Average-pooled thumbnail in [0, 1] (input in [0, 1] for grey, [-1, 1] for RGB). */
function thumbnail(pixels: Float32Array, s: number, t: number, channels: number): Float32Array {
  const f = s / t;
  const out = new Float32Array(t * t * channels);
  const rgb = channels === 3;
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const o = (Math.floor(y / f) * t + Math.floor(x / f)) * channels;
      for (let c = 0; c < channels; c++) {
        const v = pixels[(y * s + x) * channels + c];
        out[o + c] += (rgb ? (v + 1) / 2 : v) / (f * f);
      }
    }
  }
  return out;
}

/** Fraction of pixels per 4×4×4 RGB bin. */
function colourHistogram(data: Float32Array): Float32Array {
  const out = new Float32Array(64);
  const n = data.length / 3;
  const q = (v: number) => Math.min(3, Math.floor(((v + 1) / 2) * 4));
  for (let i = 0; i < n; i++) out[q(data[i * 3]) * 16 + q(data[i * 3 + 1]) * 4 + q(data[i * 3 + 2])] += 1 / n;
  return out;
}

/** Mirror image (left ↔ right): emoji faces are near-symmetric, so it is a free extra training view. */
export function flipHorizontal(image: SquareImage): SquareImage {
  const { size, data } = image;
  const out = new Float32Array(data.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + (size - 1 - x)) * 3;
      out.set(data.subarray(from, from + 3), (y * size + x) * 3);
    }
  }
  return { size, data: out };
}
