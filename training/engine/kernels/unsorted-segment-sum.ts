import * as tf from '@tensorflow/tfjs-core';
import { runOnWrapped } from './op-kernel';

/**
 * out[s, ...] = Σ_{i: ids[i] = s} x[i, ...] — the gradient of `gather`, so of every embedding.
 *
 * A scatter-add in JS: it touches each input row once, where the one-hot × matMul formulation
 * builds an [N, numSegments] matrix (1.3M entries for a 4000-word vocabulary at batch 28) and
 * multiplies through it. Ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
export function unsortedSegmentSum(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  const rowShape = x.shape.slice(segmentIds.rank);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const values = x.dataSync() as Float32Array; // [N·D]
  const ids = segmentIds.dataSync(); // [N]
  const out = new Float32Array(numSegments * rowSize); // [S·D]
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * rowSize;
    const to = s * rowSize;
    for (let k = 0; k < rowSize; k++) out[to + k] += values[from + k];
  }
  return tf.tensor(out, [numSegments, ...rowShape], x.dtype === 'int32' ? 'int32' : 'float32');
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
