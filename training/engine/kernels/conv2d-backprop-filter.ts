import * as tf from '@tensorflow/tfjs-core';
import { conv2dGeometry, type Conv2DGeometry, type Conv2DGradAttrs } from './conv-geometry';
import { im2colTaps, padToSpan } from './taps';
import { runOnWrapped } from './op-kernel';

export interface Conv2DBackpropFilterAttrs extends Conv2DGradAttrs {
  filterShape: [number, number, number, number];
}

/**
 * Weight gradient of an NHWC conv: dW[kh,kw,ci,co] = Σ_{b,y,x} X[b, s·y+kh−pt, s·x+kw−pl, ci] · dY[b,y,x,co].
 *
 * Written as im2col + one matMul: for each tap (kh, kw) a strided slice of the padded input
 * lines up with dY, the taps are concatenated on channels, and a single [K²·ci, N]×[N, co]
 * matMul (N = B·Ho·Wo) produces the gradient already in [kh, kw, ci, co] order. wasm's matMul
 * is its fastest kernel, and this needs no transposes of the activations.
 */
export function conv2dBackpropFilter(
  x: tf.Tensor4D, // [B, H, W, ci]
  dy: tf.Tensor4D, // [B, Ho, Wo, co]
  attrs: Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  const g = conv2dGeometry(x.shape, attrs.filterShape, attrs);
  const patches = im2col(x, g); // [B·Ho·Wo, kh·kw·ci]
  const dy2d = tf.reshape(dy, [-1, g.outChannels]); // [B·Ho·Wo, co]
  const dw = tf.matMul(patches, dy2d, true, false); // [kh·kw·ci, co]
  return tf.reshape(dw, attrs.filterShape);
}

/** [B·Ho·Wo, kh·kw·ci]: every input window of the conv, one row per output pixel. */
export function im2col(x: tf.Tensor4D, g: Conv2DGeometry): tf.Tensor2D {
  const taps = im2colTaps(x, g); // kh·kw × [B, Ho, Wo, ci]
  const cols = taps.length === 1 ? taps[0] : tf.concat(taps, 3); // [B, Ho, Wo, kh·kw·ci]
  return tf.reshape(cols, [-1, g.filterHeight * g.filterWidth * g.inChannels]);
}

/**
 * The same gradient as a dilated forward conv over transposed tensors: the batch becomes the
 * channel axis and dY becomes the filter. Kept as a reference and for shapes where im2col's
 * K²-fold copy of the input would be too large.
 */
export function conv2dBackpropFilterDilated(
  x: tf.Tensor4D, // [B, H, W, ci]
  dy: tf.Tensor4D, // [B, Ho, Wo, co]
  attrs: Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  const g = conv2dGeometry(x.shape, attrs.filterShape, attrs);
  const padded = padToSpan(x, g); // [B, spanH, spanW, ci]
  const xT = tf.transpose(padded, [3, 1, 2, 0]); // [ci, spanH, spanW, B]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, B, co]
  const dwT = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [g.strideHeight, g.strideWidth]); // [ci, kh, kw, co]
  return tf.transpose(dwT, [1, 2, 0, 3]);
}

export function registerConv2DBackpropFilter(backendName: string): void {
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as Conv2DBackpropFilterAttrs;
      return runOnWrapped([x, dy], backend, (xt, dyt) =>
        conv2dBackpropFilter(xt as tf.Tensor4D, dyt as tf.Tensor4D, a),
      );
    },
  });
}
