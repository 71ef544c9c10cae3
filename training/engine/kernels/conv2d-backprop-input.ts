import * as tf from '@tensorflow/tfjs-core';
import { conv2dGeometry, padOrCrop2d, type Conv2DGeometry, type Conv2DGradAttrs } from './conv-geometry';
import { runOnWrapped } from './op-kernel';
import { interleavePhases, spatialPhases } from './phases';

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
  const filterPhases = s === 1 ? [[filter]] : filterTapPhases(filter, s);
  const phases: tf.Tensor4D[][] = [];
  for (let r = 0; r < s; r++) {
    const row: tf.Tensor4D[] = [];
    for (let c = 0; c < s; c++) {
      const rows = phasePlan(r, s, g.padTop, g.filterHeight, phaseH, g.outHeight);
      const cols = phasePlan(c, s, g.padLeft, g.filterWidth, phaseW, g.outWidth);
      const taps = filterPhases[rows.firstTap]?.[cols.firstTap];
      row.push(phaseGradient(dy, taps, g, rows, cols, [phaseH, phaseW])); // [B, phaseH, phaseW, ci]
    }
    phases.push(row);
  }
  const joined = s === 1 ? phases[0][0] : interleavePhases(phases); // [B, s·phaseH, s·phaseW, ci]
  return cropTo(joined, g);
}

/** filter[q::s, q'::s] for every (q, q'), each [⌈kh/s⌉, ⌈kw/s⌉, ci, co] with zero taps past the end. */
export function filterTapPhases(filter: tf.Tensor4D, s: number): tf.Tensor4D[][] {
  const [kh, kw, ci, co] = filter.shape;
  const asImage = tf.reshape<tf.Rank.R4>(filter, [1, kh, kw, ci * co]); // [1, kh, kw, ci·co]
  return spatialPhases(asImage, s).map((row) =>
    row.map((p) => tf.reshape<tf.Rank.R4>(p, [p.shape[1], p.shape[2], ci, co])),
  );
}

/** Along one axis: which filter taps feed phase r, and where in dY they start. */
interface PhasePlan {
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
  taps: tf.Tensor4D | undefined, // [≥mh, ≥mw, ci, co]: this phase's taps, zero-padded
  g: Conv2DGeometry,
  rows: PhasePlan,
  cols: PhasePlan,
  phaseSize: [number, number],
): tf.Tensor4D {
  if (taps === undefined || rows.taps === 0 || cols.taps === 0) {
    return tf.zeros([g.batch, phaseSize[0], phaseSize[1], g.inChannels]);
  }
  const used = tf.slice(taps, [0, 0, 0, 0], [rows.taps, cols.taps, g.inChannels, g.outChannels]);
  // Flipped in space, in/out channels swapped: the adjoint of the forward conv.
  const sub = tf.transpose(tf.reverse(used, [0, 1]), [0, 1, 3, 2]); // [mh, mw, co, ci]
  const dyWindow = padOrCrop2d(dy, rows.padBefore, rows.padAfter, cols.padBefore, cols.padAfter);
  return tf.conv2d(dyWindow, sub, 1, 'valid'); // [B, phaseH, phaseW, ci]
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
