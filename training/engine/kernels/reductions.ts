import * as tf from '@tensorflow/tfjs-core';
import { runOnWrapped, wrapStockKernel } from './op-kernel';

/**
 * Sum and Mean over leading axes or over the spatial axes of an NHWC tensor, on XNNPACK.
 *
 * wasm reduces only over trailing axes: for any other axes it first transposes the input. The
 * reductions a training step makes are the other kind: bias gradients sum over [0, 1, 2], and
 * instance norm averages over [1, 2]. On a fresh [14, 64, 64, 16] tensor the stock Sum over
 * [0, 1, 2] took 4.7 ms and Mean over [1, 2] about 2 ms; as XNNPACK avgPools, 0.14 and 0.04 ms.
 * Other axes and non-float dtypes keep the stock kernel.
 */
export function registerFastReductions(backendName: string): void {
  for (const kernelName of [tf.Sum, tf.Mean]) {
    wrapStockKernel(kernelName, backendName, (original) => (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const plan = reductionPlan(x.shape, axes);
      if (x.dtype !== 'float32' || plan === null) return original.kernelFunc(args);
      const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
      const mean = kernelName === tf.Mean;
      return runOnWrapped([x], args.backend, (xt) => tf.reshape(reduce(xt, plan, mean), outShape));
    });
  }
}

/** 'spatial': axes [1, 2] of a rank-4 tensor; otherwise the count of leading axes reduced. */
export type ReductionPlan = { kind: 'spatial' } | { kind: 'leading'; axes: number };

/** Which fast form reduces `axes` (sorted) of `shape`, or null for the stock kernel. */
export function reductionPlan(shape: number[], axes: number[]): ReductionPlan | null {
  if (axes.length === 0 || axes.length === shape.length) return null;
  if (axes.every((a, i) => a === i)) return { kind: 'leading', axes: axes.length };
  if (shape.length === 4 && axes.length === 2 && axes[0] === 1 && axes[1] === 2) return { kind: 'spatial' };
  return null;
}

function reduce(x: tf.Tensor, plan: ReductionPlan, mean: boolean): tf.Tensor {
  if (plan.kind === 'spatial') {
    const [, h, w] = x.shape;
    const avg = tf.avgPool(x as tf.Tensor4D, [h, w], [h, w], 'valid'); // [B, 1, 1, C]
    return mean ? avg : tf.mul(avg, h * w);
  }
  // The leading axes become one N×1 pooling window over M channels. (A ones-row matMul was as
  // slow as the stock kernel: XNNPACK packs a matMul's right operand, here the data, every call.)
  const n = x.shape.slice(0, plan.axes).reduce((a, d) => a * d, 1);
  const avg = tf.avgPool(tf.reshape(x, [1, n, 1, x.size / n]) as tf.Tensor4D, [n, 1], [n, 1], 'valid'); // [1, 1, 1, M]
  return mean ? avg : tf.mul(avg, n);
}
