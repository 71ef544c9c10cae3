import * as tf from '@tensorflow/tfjs-core';
import { runOnWrapped } from './op-kernel';

/**
 * out[s, ...] = Σ_{i: ids[i] = s} x[i, ...] — the gradient of `gather`, so of every embedding.
 * As a one-hot matMul: [S, N] × [N, D]. Ids outside [0, S) get an all-zero one-hot row and
 * are dropped, as in TensorFlow.
 */
export function unsortedSegmentSum(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  const rowShape = x.shape.slice(segmentIds.rank);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const ids = tf.reshape(segmentIds, [-1]); // [N]
  const rows = tf.reshape(x, [-1, rowSize]); // [N, D]
  const oneHot = tf.cast(tf.oneHot(tf.cast(ids, 'int32'), numSegments), x.dtype); // [N, S]
  const summed = tf.matMul(oneHot, rows, true, false); // [S, D]
  return tf.reshape(summed, [numSegments, ...rowShape]);
}

export function registerUnsortedSegmentSum(backendName: string): void {
  tf.registerKernel({
    kernelName: tf.UnsortedSegmentSum,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const { numSegments } = attrs as unknown as { numSegments: number };
      return runOnWrapped([x, segmentIds], backend, (xt, ids) => unsortedSegmentSum(xt, ids, numSegments));
    },
  });
}
