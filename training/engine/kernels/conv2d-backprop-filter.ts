import * as tf from '@tensorflow/tfjs-core';
import { conv2dGeometry, type Conv2DGradAttrs } from './conv-geometry';
import { padToSpan, spanPadding } from './taps';
import { runOnWrapped } from './op-kernel';

export interface Conv2DBackpropFilterAttrs extends Conv2DGradAttrs {
  filterShape: [number, number, number, number];
}

/**
 * Weight gradient of an NHWC conv: dW[kh,kw,ci,co] = Σ_{b,y,x} X[b, s·y+kh−pt, s·x+kw−pl, ci] · dY[b,y,x,co].
 *
 * Read with ci as the batch, b as the input channel and dY as the filter, that sum is a forward
 * conv dilated by the stride, which runs on wasm's fast XNNPACK path. im2col + one matMul
 * measured slower inside a training step: XNNPACK packs a matMul's right operand on every call,
 * and with the data there it ran at 7–15 GFLOP/s; matMul with a transpose flag is ~10× slower.
 */
export function conv2dBackpropFilter(
  x: tf.Tensor4D, // [B, H, W, ci]
  dy: tf.Tensor4D, // [B, Ho, Wo, co]
  attrs: Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  const g = conv2dGeometry(x.shape, attrs.filterShape, attrs);
  const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, B, co]
  const dilation: [number, number] = [g.strideHeight, g.strideWidth];
  const pad = spanPadding(g);
  let dwT: tf.Tensor4D; // [ci, kh, kw, co]
  if (Math.min(...pad.flat()) >= 0) {
    // XNNPACK pads inside the conv: no padded copy of the input.
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [ci, H, W, B]
    dwT = tf.conv2d(xT, dyT, 1, pad, 'NHWC', dilation);
  } else {
    const xT = tf.transpose(padToSpan(x, g), [3, 1, 2, 0]); // [ci, spanH, spanW, B]
    dwT = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', dilation);
  }
  return tf.transpose(dwT, [1, 2, 0, 3]); // [kh, kw, ci, co]
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
