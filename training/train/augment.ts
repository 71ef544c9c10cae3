/**
 * Data augmentation of training batches. AttnGAN's loader mirrors every image with probability ½
 * (RandomHorizontalFlip); here the image and its template pattern P are mirrored together, so the
 * pair stays aligned and G still edits the template it is given. A face emoji mirrored is the same
 * expression (a wink winks with the other eye), and the eval's classifiers train on mirror images too.
 */
import { hashString, mulberry32 } from '../../model/rng';
import { flipHorizontal } from '../eval/image-features';

/** An [S, S, 3] image mirrored about its vertical axis (a new array): the eval's flipHorizontal, size checked. */
export function mirrorImage(src: Float32Array, size: number): Float32Array {
  if (src.length !== size * size * 3) throw new RangeError(`mirrorImage: ${src.length} floats is not a ${size}×${size}×3 image.`);
  return flipHorizontal({ size, data: src }).data;
}

/**
 * Which of a batch's `rows` are mirrored, each with probability ½. Drawn from a stream of its own
 * (seed, phase, step), so switching the flip on leaves the batch's noise and patch draws as they were.
 */
export function mirroredRows(seed: number, phase: string, globalStep: number, rows: number): boolean[] {
  const r = mulberry32(hashString(`${seed}:${phase}:mirror:${globalStep}`));
  return Array.from({ length: rows }, () => r() < 0.5);
}
