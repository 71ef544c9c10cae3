/**
 * Data augmentation of training batches. AttnGAN's loader mirrors every image with probability ½
 * (RandomHorizontalFlip); here the image and its template pattern P are mirrored together, so the
 * pair stays aligned and G still edits the template it is given. A face emoji mirrored is the same
 * expression (a wink winks with the other eye), and the eval's classifiers train on mirror images too.
 */
import { hashString, mulberry32 } from '../../model/rng';

/** An [S, S, 3] image mirrored about its vertical axis (a new array). */
export function mirrorImage(src: Float32Array, size: number): Float32Array {
  if (src.length !== size * size * 3) throw new RangeError(`mirrorImage: ${src.length} floats is not a ${size}×${size}×3 image.`);
  const out = new Float32Array(src.length);
  for (let y = 0; y < size; y++) {
    const row = y * size * 3;
    for (let x = 0; x < size; x++) {
      const from = row + (size - 1 - x) * 3;
      const to = row + x * 3;
      out[to] = src[from];
      out[to + 1] = src[from + 1];
      out[to + 2] = src[from + 2];
    }
  }
  return out;
}

/**
 * Which of a batch's `rows` are mirrored, each with probability ½. Drawn from a stream of its own
 * (seed, phase, step), so switching the flip on leaves the batch's noise and patch draws as they were.
 */
export function mirroredRows(seed: number, phase: string, globalStep: number, rows: number): boolean[] {
  const r = mulberry32(hashString(`${seed}:${phase}:mirror:${globalStep}`));
  return Array.from({ length: rows }, () => r() < 0.5);
}
