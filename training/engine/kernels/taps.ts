import * as tf from '@tensorflow/tfjs-core';
import { padOrCrop2d, type Conv2DGeometry } from './conv-geometry';

/**
 * One [B, Ho, Wo, ci] tensor per filter tap (kh, kw), in row-major tap order: the input pixels
 * that tap multiplies, for every output pixel. Concatenated on channels they are im2col.
 */
export function im2colTaps(x: tf.Tensor4D, g: Conv2DGeometry): tf.Tensor4D[] {
  const padded = padToSpan(x, g); // [B, spanH, spanW, ci]
  const taps: tf.Tensor4D[] = [];
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) taps.push(tapAt(padded, g, kh, kw));
  }
  return taps;
}

/** The input, padded (or cropped) to exactly the rows and columns the conv windows cover. */
export function padToSpan(x: tf.Tensor4D, g: Conv2DGeometry): tf.Tensor4D {
  const spanH = g.strideHeight * (g.outHeight - 1) + g.filterHeight;
  const spanW = g.strideWidth * (g.outWidth - 1) + g.filterWidth;
  return padOrCrop2d(x, g.padTop, spanH - g.inHeight - g.padTop, g.padLeft, spanW - g.inWidth - g.padLeft);
}

function tapAt(padded: tf.Tensor4D, g: Conv2DGeometry, kh: number, kw: number): tf.Tensor4D {
  const size = [g.batch, g.outHeight, g.outWidth, padded.shape[3]];
  if (g.strideHeight === 1 && g.strideWidth === 1) return tf.slice(padded, [0, kh, kw, 0], size);
  const end = [g.batch, kh + g.strideHeight * (g.outHeight - 1) + 1, kw + g.strideWidth * (g.outWidth - 1) + 1, size[3]];
  return tf.stridedSlice(padded, [0, kh, kw, 0], end, [1, g.strideHeight, g.strideWidth, 1]) as tf.Tensor4D;
}
