import * as tf from '@tensorflow/tfjs-core';
import { conv2dGeometry, padOrCrop2d, type Conv2DGradAttrs } from './conv-geometry';
import { im2colTaps } from './taps';
import { adjointTaps, phasePlan } from './conv2d-backprop-input';
import { interleavePhases } from './phases';
import { runOnWrapped } from './op-kernel';

export interface DepthwiseGradAttrs extends Conv2DGradAttrs {
  dilations: [number, number] | number;
}

export class UnsupportedDilationError extends Error {
  constructor(kernel: string) {
    super(`${kernel}: dilated depthwise convs have no training kernel on wasm; use dilations = 1 or the cpu backend.`);
    this.name = 'UnsupportedDilationError';
  }
}

function assertUndilated(kernel: string, dilations: [number, number] | number | undefined): void {
  const d = dilations ?? 1;
  if (typeof d === 'number' ? d !== 1 : d[0] !== 1 || d[1] !== 1) throw new UnsupportedDilationError(kernel);
}

/**
 * Input gradient of a depthwise conv (filter [kh, kw, ci, m], dY channel c·m + k). Same phase
 * decomposition as Conv2DBackpropInput, with depthwise stride-1 convs per phase, then the m
 * multiplier outputs of each channel summed.
 */
export function depthwiseBackpropInput(
  dy: tf.Tensor4D, // [B, Ho, Wo, ci·m]
  filter: tf.Tensor4D, // [kh, kw, ci, m]
  inputShape: [number, number, number, number],
  attrs: DepthwiseGradAttrs,
): tf.Tensor4D {
  const [kh, kw, ci, m] = filter.shape;
  const g = conv2dGeometry(inputShape, [kh, kw, ci, ci * m], attrs);
  const s = g.strideHeight;
  if (s !== g.strideWidth) throw new Error('DepthwiseConv2dNativeBackpropInput: unequal strides are not supported; use equal strides.');
  const phaseH = Math.ceil(g.inHeight / s);
  const phaseW = Math.ceil(g.inWidth / s);
  const weights = filter.dataSync() as Float32Array; // [kh, kw, ci·m] flattened
  const flatGeometry = { ...g, inChannels: ci * m, outChannels: 1 };
  const phases: tf.Tensor4D[][] = [];
  for (let r = 0; r < s; r++) {
    const row: tf.Tensor4D[] = [];
    for (let c = 0; c < s; c++) {
      const rows = phasePlan(r, s, g.padTop, kh, phaseH, g.outHeight);
      const cols = phasePlan(c, s, g.padLeft, kw, phaseW, g.outWidth);
      if (rows.taps === 0 || cols.taps === 0) {
        row.push(tf.zeros([g.batch, phaseH, phaseW, ci]));
        continue;
      }
      const flipped = adjointTaps(weights, flatGeometry, rows, cols); // [mh, mw, 1, ci·m] flattened
      const sub = tf.tensor4d(flipped, [rows.taps, cols.taps, ci * m, 1]);
      const window = padOrCrop2d(dy, rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter);
      const perMultiplier = tf.depthwiseConv2d(window, sub, 1, 'valid'); // [B, phaseH, phaseW, ci·m]
      row.push(m === 1 ? perMultiplier : tf.sum<tf.Tensor4D>(tf.reshape(perMultiplier, [g.batch, phaseH, phaseW, ci, m]), 4));
    }
    phases.push(row);
  }
  const joined = s === 1 ? phases[0][0] : interleavePhases(phases); // [B, s·phaseH, s·phaseW, ci]
  return tf.slice(joined, [0, 0, 0, 0], [g.batch, g.inHeight, g.inWidth, ci]);
}

/** Filter gradient: dW[kh, kw, c, k] = Σ tap_{kh,kw}(X)[.., c] · dY[.., c·m + k]. */
export function depthwiseBackpropFilter(
  x: tf.Tensor4D, // [B, H, W, ci]
  dy: tf.Tensor4D, // [B, Ho, Wo, ci·m]
  filterShape: [number, number, number, number],
  attrs: DepthwiseGradAttrs,
): tf.Tensor4D {
  const [kh, kw, ci, m] = filterShape;
  const g = conv2dGeometry(x.shape, [kh, kw, ci, ci * m], attrs);
  const dyByChannel = tf.reshape(dy, [-1, ci, m]); // [N, ci, m]
  const taps = im2colTaps(x, g).map((tap) => {
    const xs = tf.reshape(tap, [-1, ci, 1]); // [N, ci, 1]
    return tf.sum(tf.mul(xs, dyByChannel), 0); // [ci, m]
  });
  return tf.reshape(tf.stack(taps), filterShape);
}

export function registerDepthwiseBackprop(backendName: string): void {
  tf.registerKernel({
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const a = attrs as unknown as DepthwiseGradAttrs & { inputShape: [number, number, number, number] };
      assertUndilated(tf.DepthwiseConv2dNativeBackpropInput, a.dilations);
      return runOnWrapped([dy, filter], backend, (d, f) =>
        depthwiseBackpropInput(d as tf.Tensor4D, f as tf.Tensor4D, a.inputShape, a),
      );
    },
  });
  tf.registerKernel({
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as DepthwiseGradAttrs & { filterShape: [number, number, number, number] };
      assertUndilated(tf.DepthwiseConv2dNativeBackpropFilter, a.dilations);
      return runOnWrapped([x, dy], backend, (xt, d) =>
        depthwiseBackpropFilter(xt as tf.Tensor4D, d as tf.Tensor4D, a.filterShape, a),
      );
    },
  });
}
