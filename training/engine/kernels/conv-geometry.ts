import * as tf from '@tensorflow/tfjs-core';

/** The padding a conv kernel actually applied, whatever form (SAME, VALID, explicit) it was given in. */
export interface Conv2DGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

export type ConvPad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

export interface Conv2DGradAttrs {
  strides: [number, number] | number;
  pad: ConvPad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Resolves the conv geometry from an NHWC input shape and [kh, kw, ci, co] filter shape. */
export function conv2dGeometry(
  xShape: number[],
  filterShape: number[],
  attrs: Conv2DGradAttrs,
): Conv2DGeometry {
  assertNhwc(attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

export class UnsupportedConvLayoutError extends Error {
  constructor(format: string) {
    super(`Training kernels support only NHWC convolutions, got ${format}; transpose the input to NHWC first.`);
    this.name = 'UnsupportedConvLayoutError';
  }
}

function assertNhwc(format: string | undefined): void {
  // Depthwise kernels carry no dataFormat attribute: they are always NHWC.
  if (format !== undefined && format !== 'NHWC') throw new UnsupportedConvLayoutError(format);
}

/**
 * Pads (positive amounts) or crops (negative amounts) axes 1 and 2 of an NHWC tensor.
 * Conv geometry often asks for "one row less" at the far edge, which a pad cannot express.
 */
export function padOrCrop2d(
  x: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  let y = x;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const t = Math.max(0, -top);
    const l = Math.max(0, -left);
    y = tf.slice(y, [0, t, l, 0], [b, h - t - Math.max(0, -bottom), w - l - Math.max(0, -right), c]);
  }
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    y = tf.pad(y, [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ]);
  }
  return y;
}
