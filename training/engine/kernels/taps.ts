import * as tf from '@tensorflow/tfjs-core';
import { padOrCrop2d, type Conv2DGeometry } from './conv-geometry';
import { spatialPhases } from './phases';

/**
 * One [B, Ho, Wo, C] tensor per filter tap (kh, kw), in row-major tap order: the input pixels
 * that tap multiplies, for every output pixel. Concatenated on channels they are im2col.
 */
export function im2colTaps(x: tf.Tensor4D, g: Conv2DGeometry): tf.Tensor4D[] {
  const padded = padToSpan(x, g); // [B, spanH, spanW, C]
  const s = g.strideHeight;
  if (s !== g.strideWidth) throw new Error('im2col: unequal strides are not supported; use equal strides.');
  // Stride s: tap (kh, kw) reads phase (kh mod s, kw mod s), shifted by (⌊kh/s⌋, ⌊kw/s⌋).
  const phases = s === 1 ? [[padded]] : spatialPhases(padded, s);
  const [b, , , c] = padded.shape;
  const taps: tf.Tensor4D[] = [];
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const phase = phases[kh % s][kw % s];
      const begin = [0, Math.floor(kh / s), Math.floor(kw / s), 0];
      taps.push(tf.slice(phase, begin, [b, g.outHeight, g.outWidth, c]));
    }
  }
  return taps;
}

/** The input, padded (or cropped) to exactly the rows and columns the conv windows cover. */
export function padToSpan(x: tf.Tensor4D, g: Conv2DGeometry): tf.Tensor4D {
  const [, [top, bottom], [left, right]] = spanPadding(g);
  return padOrCrop2d(x, top, bottom, left, right);
}

/** The NHWC padding that makes the input exactly the span the windows cover (negative: crop). */
export function spanPadding(g: Conv2DGeometry): tf.backend_util.ExplicitPadding {
  const spanH = g.strideHeight * (g.outHeight - 1) + g.filterHeight;
  const spanW = g.strideWidth * (g.outWidth - 1) + g.filterWidth;
  return [[0, 0], [g.padTop, spanH - g.inHeight - g.padTop], [g.padLeft, spanW - g.inWidth - g.padLeft], [0, 0]];
}
