import * as tf from '@tensorflow/tfjs-core';
import { conv2dGeometry, padOrCrop2d, type Conv2DGeometry, type Conv2DGradAttrs } from './conv-geometry';
import { runOnWrapped } from './op-kernel';
import { interleavePhases } from './phases';

export interface Conv2DBackpropInputAttrs extends Conv2DGradAttrs {
  inputShape: [number, number, number, number];
}

/**
 * Input gradient of an NHWC conv (a transposed conv), as stride-1 forward convs.
 *
 * With stride s, the input row h = s·i + r only receives taps kh ≡ r + pt (mod s). So each of the
 * s² phases (r, c) is an ordinary stride-1 conv of dY with a flipped sub-filter, and
 * a reshape and concat interleave the phases back. No zero-stuffing, so no wasted FLOPs, and every
 * conv runs on wasm's fast XNNPACK path.
 */
export function conv2dBackpropInput(
  dy: tf.Tensor4D, // [B, Ho, Wo, co]
  filter: tf.Tensor4D, // [kh, kw, ci, co]
  attrs: Conv2DBackpropInputAttrs,
): tf.Tensor4D {
  const g = conv2dGeometry(attrs.inputShape, filter.shape, attrs);
  const s = g.strideHeight;
  if (s !== g.strideWidth) throw new Error('Conv2DBackpropInput: unequal strides are not supported; use equal strides.');
  const phaseH = Math.ceil(g.inHeight / s);
  const phaseW = Math.ceil(g.inWidth / s);
  const swapped = tf.transpose(filter, [0, 1, 3, 2]); // [kh, kw, co, ci]: in/out channels of the adjoint
  const phases: tf.Tensor4D[][] = [];
  for (let r = 0; r < s; r++) {
    const row: tf.Tensor4D[] = [];
    for (let c = 0; c < s; c++) {
      const rows = phasePlan(r, s, g.padTop, g.filterHeight, phaseH, g.outHeight);
      const cols = phasePlan(c, s, g.padLeft, g.filterWidth, phaseW, g.outWidth);
      row.push(phaseGradient(dy, swapped, g, rows, cols, [phaseH, phaseW])); // [B, phaseH, phaseW, ci]
    }
    phases.push(row);
  }
  const joined = s === 1 ? phases[0][0] : interleavePhases(phases); // [B, s·phaseH, s·phaseW, ci]
  return cropTo(joined, g);
}

/** Along one axis: which filter taps feed phase r, and where in dY they start. */
export interface PhasePlan {
  firstTap: number; // q: taps q, q+s, q+2s, ...
  taps: number; // M
  padBefore: number; // negative: crop dY instead
  padAfter: number;
}

export function phasePlan(
  r: number,
  stride: number,
  padBefore: number,
  filterSize: number,
  phaseSize: number,
  outSize: number,
): PhasePlan {
  const q = (r + padBefore) % stride;
  const taps = q < filterSize ? Math.ceil((filterSize - q) / stride) : 0;
  const shift = Math.floor((r + padBefore) / stride); // dY index of tap q for i = 0
  const offset = shift - taps + 1; // dY index the flipped filter window starts at, for i = 0
  const lastNeeded = phaseSize - 1 + taps - 1 + offset;
  return { firstTap: q, taps, padBefore: -offset, padAfter: lastNeeded - (outSize - 1) };
}

function phaseGradient(
  dy: tf.Tensor4D, // [B, Ho, Wo, co]
  swapped: tf.Tensor4D, // the filter with channels swapped, [kh, kw, co, ci]
  g: Conv2DGeometry,
  rows: PhasePlan,
  cols: PhasePlan,
  phaseSize: [number, number],
): tf.Tensor4D {
  if (rows.taps === 0 || cols.taps === 0) {
    return tf.zeros([g.batch, phaseSize[0], phaseSize[1], g.inChannels]);
  }
  const sub = flippedTaps(swapped, g, rows, cols); // [mh, mw, co, ci]
  if (Math.min(rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter) >= 0) {
    // XNNPACK pads inside the conv: no padded copy of dY.
    const pad: tf.backend_util.ExplicitPadding = [[0, 0], [rows.padBefore, rows.padAfter], [cols.padBefore, cols.padAfter], [0, 0]];
    return tf.conv2d(dy, sub, 1, pad); // [B, phaseH, phaseW, ci]
  }
  const dyWindow = padOrCrop2d(dy, rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter);
  return tf.conv2d(dyWindow, sub, 1, 'valid'); // [B, phaseH, phaseW, ci]
}

/**
 * This phase's taps, flipped in space: out[m1, m2] = swapped[s·(mh−1−m1) + qh, s·(mw−1−m2) + qw].
 * Slices and a concat of whole [co, ci] blocks: wasm's Reverse and Gather kernels cost ~10 ns
 * per element, and re-laying the filter out in JS cost more than these copies.
 */
function flippedTaps(swapped: tf.Tensor4D, g: Conv2DGeometry, rows: PhasePlan, cols: PhasePlan): tf.Tensor4D {
  const [, , co, ci] = swapped.shape;
  if (rows.taps === g.filterHeight && cols.taps === g.filterWidth && g.filterHeight === 1 && g.filterWidth === 1) return swapped;
  const taps: tf.Tensor4D[] = [];
  for (let m1 = 0; m1 < rows.taps; m1++) {
    const kh = g.strideHeight * (rows.taps - 1 - m1) + rows.firstTap;
    for (let m2 = 0; m2 < cols.taps; m2++) {
      const kw = g.strideWidth * (cols.taps - 1 - m2) + cols.firstTap;
      taps.push(tf.slice(swapped, [kh, kw, 0, 0], [1, 1, co, ci]));
    }
  }
  const flat = taps.length === 1 ? taps[0] : tf.concat(taps, 0); // [mh·mw, 1, co, ci]
  return tf.reshape(flat, [rows.taps, cols.taps, co, ci]);
}

/**
 * This phase's taps of the filter, flipped in space with in/out channels swapped (the adjoint
 * of the forward conv): out[m1, m2, o, i] = W[s·(mh−1−m1) + qh, s·(mw−1−m2) + qw, i, o].
 * Done in JS: filters are small, and wasm's Reverse and Gather kernels cost ~10 ns per element.
 */
export function adjointTaps(weights: Float32Array, g: Conv2DGeometry, rows: PhasePlan, cols: PhasePlan): Float32Array {
  const ci = g.inChannels;
  const co = g.outChannels;
  const out = new Float32Array(rows.taps * cols.taps * co * ci);
  let k = 0;
  for (let m1 = 0; m1 < rows.taps; m1++) {
    const kh = g.strideHeight * (rows.taps - 1 - m1) + rows.firstTap;
    for (let m2 = 0; m2 < cols.taps; m2++) {
      const kw = g.strideWidth * (cols.taps - 1 - m2) + cols.firstTap;
      const base = (kh * g.filterWidth + kw) * ci * co;
      for (let o = 0; o < co; o++) {
        for (let i = 0; i < ci; i++) out[k++] = weights[base + i * co + o];
      }
    }
  }
  return out;
}

function cropTo(x: tf.Tensor4D, g: Conv2DGeometry): tf.Tensor4D {
  if (x.shape[1] === g.inHeight && x.shape[2] === g.inWidth) return x;
  return tf.slice(x, [0, 0, 0, 0], [g.batch, g.inHeight, g.inWidth, g.inChannels]);
}

export function registerConv2DBackpropInput(backendName: string): void {
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropInput,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const a = attrs as unknown as Conv2DBackpropInputAttrs;
      return runOnWrapped([dy, filter], backend, (dyt, ft) =>
        conv2dBackpropInput(dyt as tf.Tensor4D, ft as tf.Tensor4D, a),
      );
    },
  });
}

