import * as tf from '@tensorflow/tfjs-core';
import { spatialPhases } from './phases';

/**
 * First-order gradients tfjs 4.22 lacks or gets wrong, found by differentiating every op a GAN
 * might use (tests/unit/engine/op-coverage.test.ts). Backend-independent.
 */
export function registerMissingGradients(): void {
  if (tf.getGradient(tf.DepthToSpace) === undefined) tf.registerGradient(depthToSpaceGradient);
  if (tf.getGradient(tf.StridedSlice) === undefined) tf.registerGradient(stridedSliceGradient);
  // tfjs' own Cumsum gradient transposes wrongly for any axis but the last, and its MirrorPad
  // gradient drops the mirrored contributions. Replace both (once per process).
  for (const fix of [cumsumGradient, mirrorPadGradient]) {
    if ((tf.getGradient(fix.kernelName) as { fixed?: boolean } | undefined)?.fixed !== true) tf.registerGradient(fix);
  }
}

/** The adjoint of depthToSpace is spaceToDepth: phase (r, c) of dy goes to channel block r·s + c. */
const depthToSpaceGradient: tf.GradConfig = {
  kernelName: tf.DepthToSpace,
  gradFunc: (dy, _saved, attrs) => {
    const { blockSize, dataFormat } = attrs as unknown as tf.DepthToSpaceAttrs;
    if (dataFormat !== 'NHWC') throw new Error('DepthToSpace gradient: only NHWC is supported; use NHWC.');
    return { x: () => tf.concat(spatialPhases(dy as tf.Tensor4D, blockSize).flat(), 3) }; // [B, H/s, W/s, s²·C]
  },
};

/** Scatters dy back to the positions the strided slice read; everything else gets 0. */
const stridedSliceGradient: tf.GradConfig = {
  kernelName: tf.StridedSlice,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const a = attrs as unknown as tf.StridedSliceAttrs;
    const info = tf.slice_util.sliceInfo(
      x.shape, a.begin, a.end, a.strides, a.beginMask, a.endMask, a.ellipsisMask, a.newAxisMask, a.shrinkAxisMask,
    );
    const sizes = info.begin.map((b, d) => Math.max(0, Math.ceil((info.end[d] - b) / info.strides[d])));
    const indices = gridIndices(sizes.map((n, d) => Array.from({ length: n }, (_, k) => info.begin[d] + k * info.strides[d]))); // [N, rank]
    const updates = tf.reshape(dy as tf.Tensor, [-1]); // [N], in row-major slice order
    return { x: () => tf.scatterND(tf.tensor2d(indices, [updates.size, x.rank], 'int32'), updates, x.shape) };
  },
};

/** d cumsum(x) = cumsum(dy) in the opposite direction, same axis and exclusivity. */
const cumsumGradient: tf.GradConfig & { fixed: boolean } = {
  kernelName: tf.Cumsum,
  fixed: true,
  gradFunc: (dy, _saved, attrs) => {
    const { axis, exclusive, reverse } = attrs as unknown as tf.CumsumAttrs;
    return { x: () => tf.cumsum(dy as tf.Tensor, axis, exclusive, !reverse) };
  },
};

/** Every output element of a mirror pad reads one input element; dx sums dy over those reads. */
const mirrorPadGradient: tf.GradConfig & { fixed: boolean } = {
  kernelName: tf.MirrorPad,
  fixed: true,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { paddings, mode } = attrs as unknown as tf.MirrorPadAttrs;
    const sources = x.shape.map((n, d) => mirrorSources(n, paddings[d][0], paddings[d][1], mode));
    const indices = gridIndices(sources); // [N, rank], row-major over dy
    const updates = tf.reshape(dy as tf.Tensor, [-1]);
    return { x: () => tf.scatterND(tf.tensor2d(indices, [updates.size, x.rank], 'int32'), updates, x.shape) };
  },
};

/** For each padded position along one axis, the input position it copies. */
function mirrorSources(n: number, before: number, after: number, mode: 'reflect' | 'symmetric'): number[] {
  const edge = mode === 'reflect' ? 0 : 1;
  return Array.from({ length: before + n + after }, (_, o) => {
    const i = o - before;
    if (i < 0) return -i - edge;
    if (i >= n) return 2 * n - 2 + edge - i;
    return i;
  });
}

/** Row-major coordinates of the Cartesian product of per-axis coordinate lists, flattened. */
function gridIndices(axes: number[][]): Int32Array {
  const rank = axes.length;
  const count = axes.reduce((p, a) => p * a.length, 1);
  const out = new Int32Array(count * rank);
  const k = new Array<number>(rank).fill(0);
  for (let n = 0; n < count; n++) {
    for (let d = 0; d < rank; d++) out[n * rank + d] = axes[d][k[d]];
    for (let d = rank - 1; d >= 0 && ++k[d] === axes[d].length; d--) k[d] = 0;
  }
  return out;
}
