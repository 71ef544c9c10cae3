import { noiseForSeed } from '../rng';

/**
 * Plain-array inputs for one generation call, identical in the worker and the Node CLI.
 * A call makes one image per seed; text and template are shared across the batch.
 */
export interface FeedArrays {
  tokenIds: Int32Array; // [B, L]
  tokenMask: Float32Array; // [B, L]
  noise: Float32Array; // [B, Z]
  /** Template pattern per size: [B, S, S, 3] in [-1, 1]. */
  templates: Record<number, Float32Array>;
  batch: number;
  maxTokens: number;
  zDim: number;
}

export function buildFeedArrays(
  ids: Int32Array,
  mask: Float32Array,
  seeds: number[],
  zDim: number,
  patterns: Record<number, Float32Array>, // [S, S, 3] per size
): FeedArrays {
  const b = seeds.length;
  const l = ids.length;
  const tokenIds = new Int32Array(b * l);
  const tokenMask = new Float32Array(b * l);
  const noise = new Float32Array(b * zDim);
  const templates: Record<number, Float32Array> = {};
  seeds.forEach((seed, i) => {
    tokenIds.set(ids, i * l);
    tokenMask.set(mask, i * l);
    noise.set(noiseForSeed(seed, zDim), i * zDim);
  });
  for (const [size, p] of Object.entries(patterns)) {
    const t = new Float32Array(b * p.length);
    for (let i = 0; i < b; i++) t.set(p, i * p.length);
    templates[Number(size)] = t;
  }
  return { tokenIds, tokenMask, noise, templates, batch: b, maxTokens: l, zDim };
}

/** [-1, 1] HWC floats for one image → RGBA bytes. */
export function toRgba(data: ArrayLike<number>, offset: number, size: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round((data[offset + i * 3 + c] + 1) * 127.5);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** RGBA bytes (alpha composited on white) → [-1, 1] HWC floats. */
export function rgbaToPattern(rgba: ArrayLike<number>, size: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const a = rgba[i * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = (rgba[i * 4 + c] * a + 255 * (1 - a)) / 127.5 - 1;
  }
  return out;
}
