import * as tf from '@tensorflow/tfjs-core';
import { registerConv2DBackpropFilter } from './conv2d-backprop-filter';
import { registerConv2DBackpropInput } from './conv2d-backprop-input';
import { registerDepthwiseBackprop } from './depthwise-backprop';
import { registerUnsortedSegmentSum } from './unsorted-segment-sum';
import { registerFastBatchMatMul } from './batch-mat-mul';
import { registerFastResizeNearestGrad } from './resize-nearest-grad';
import { registerSecondOrderGradients } from './second-order';
import { registerFastLeakyRelu } from './leaky-relu';
import { registerFastSlice, registerFastSplitV } from './slice';
import { registerFastAvgPoolGrad } from './avg-pool-grad';
import { registerFastReductions } from './reductions';
import { registerSharingIdentity } from './identity';

/** Kernels this module registers for the wasm backend, in registration order. */
export const WASM_TRAINING_KERNELS = [
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.UnsortedSegmentSum,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.BatchMatMul,
  tf.ResizeNearestNeighborGrad,
  tf.LeakyRelu,
  tf.Slice,
  tf.Sum,
  tf.Mean,
  tf.Identity,
  tf.SplitV,
  tf.AvgPoolGrad,
] as const;

const WRAPPED = new Set<string>([tf.BatchMatMul, tf.ResizeNearestNeighborGrad, tf.Slice, tf.Sum, tf.Mean, tf.Identity, tf.SplitV, tf.AvgPoolGrad]);

/** Per process, not per module instance: wrapping the stock kernels twice would wrap a wrapper. */
const REGISTERED = Symbol.for('memeface.engine.wasmTrainingKernels');
type Registry = { [REGISTERED]?: Set<string> };

/**
 * Registers the gradient kernels wasm lacks (or runs slowly) and the second-order gradients.
 * Idempotent. Call before the first training step; kernels are looked up per op call.
 */
export function registerWasmTrainingKernels(backendName = 'wasm'): void {
  registerSecondOrderGradients();
  const registered = ((globalThis as Registry)[REGISTERED] ??= new Set<string>());
  if (registered.has(backendName)) return;
  for (const name of WASM_TRAINING_KERNELS) {
    if (WRAPPED.has(name)) continue; // these wrap the stock kernel, so it must stay registered until then
    if (tf.getKernel(name, backendName) !== undefined) tf.unregisterKernel(name, backendName);
  }
  registerConv2DBackpropFilter(backendName);
  registerConv2DBackpropInput(backendName);
  registerUnsortedSegmentSum(backendName);
  registerDepthwiseBackprop(backendName);
  registerFastBatchMatMul(backendName);
  registerFastResizeNearestGrad(backendName);
  registerFastLeakyRelu(backendName);
  registerFastSlice(backendName);
  registerFastReductions(backendName);
  registerSharingIdentity(backendName);
  registerFastSplitV(backendName);
  registerFastAvgPoolGrad(backendName);
  registered.add(backendName);
}
