/**
 * Patch training of the high-resolution stages (issue 9; StyleGAN-XL / "Any-resolution" style):
 * stages i ≥ 1 of MemeFaceGenerator are spatially local (3×3 convs, per-region word attention,
 * nearest ×2, average pooling, strided convs; FiLM is per-sample), so a stage run on a crop of
 * x̂_{i−1} computes the matching crop of x̂_i and x̄_i, up to zero padding at the crop's border.
 * Training stage i on a P×P patch instead of S×S cuts its cost by (S/P)², which is what makes the
 * 128 and 256 px stages affordable on a CPU. Inference always runs the full image.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../model/rng';

/** Where stage i's patch sits: `y`, `x` in stage i's full-image pixels; `size` = patch side. */
export interface PatchWindow {
  y: number;
  x: number;
  size: number;
  /** Offset of the input crop inside stage i−1's output (which may itself be a patch). */
  inY: number;
  inX: number;
}

/**
 * Classes of D_i's auxiliary expression head for a stage trained on `window`: none on patches,
 * because gan.classWeight's head judges the whole face (a patch may hold no mouth or eyes).
 * The trainer creates D's parameters and the GAN step computes its loss through this one rule.
 */
export function discriminatorClasses(window: PatchWindow | null, classes: number): number {
  return window ? 0 : classes;
}

/**
 * Classes of D_i's template head for a stage trained on `window`: as `discriminatorClasses`, unless
 * `onPatches` (gan.templateClassPatches), because a window shows the family's palette, shading
 * and strokes even where it shows no expression.
 */
export function templateDiscriminatorClasses(window: PatchWindow | null, templates: number, onPatches: boolean): number {
  return onPatches ? templates : discriminatorClasses(window, templates);
}

/**
 * One window per stage for a batch (the same window for every sample): null where the stage runs
 * full size (stage 0, stages no larger than `patch`, and every stage when `patch` is 0).
 * Each patched stage's input crop lies inside the previous stage's output, so the chain is exact.
 */
export function patchWindows(sizes: number[], patch: number, rng: Rng): (PatchWindow | null)[] {
  const out: (PatchWindow | null)[] = [];
  let prev: { y: number; x: number; size: number } | null = null; // previous stage's output window (its own pixels)
  sizes.forEach((s, i) => {
    if (i === 0 || patch <= 0 || s <= patch) {
      out.push(null);
      prev = { y: 0, x: 0, size: s };
      return;
    }
    const half = patch / 2; // input crop side at stage i−1's scale
    const p = prev!;
    const inY = Math.floor(rng() * (p.size - half + 1));
    const inX = Math.floor(rng() * (p.size - half + 1));
    const w = { y: 2 * (p.y + inY), x: 2 * (p.x + inX), size: patch, inY, inX };
    out.push(w);
    prev = { y: w.y, x: w.x, size: patch };
  });
  return out;
}

/** x[:, y:y+size, x:x+size, :] — [B, H, W, C] → [B, size, size, C] (differentiable). */
export function cropWindow(t: tf.Tensor4D, y: number, x: number, size: number): tf.Tensor4D {
  return tf.slice(t, [0, y, x, 0], [-1, size, size, -1]);
}

/** Stage i's view of an image: its window, or the whole image where the stage is not patched. */
export function cropToWindow(t: tf.Tensor4D, w: PatchWindow | null): tf.Tensor4D {
  return w ? cropWindow(t, w.y, w.x, w.size) : t;
}
