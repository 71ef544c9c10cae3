import * as tf from '@tensorflow/tfjs-core';
import { registerConv2DBackpropFilter } from './conv2d-backprop-filter';
import { registerConv2DBackpropInput } from './conv2d-backprop-input';
import { registerDepthwiseBackprop } from './depthwise-backprop';
import { registerUnsortedSegmentSum } from './unsorted-segment-sum';
import { registerFastBatchMatMul } from './batch-mat-mul';
import { registerSecondOrderGradients } from './second-order';

/** Kernels this module registers for the wasm backend, in registration order. */
export const WASM_TRAINING_KERNELS = [
  tf.Conv2DBackpropFilter,
  tf.Conv2DBackpropInput,
  tf.UnsortedSegmentSum,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.BatchMatMul,
] as const;

let registeredFor: string | null = null;

/**
 * Registers the gradient kernels wasm lacks (or runs slowly) and the second-order gradients.
 * Idempotent. Call before the first training step; kernels are looked up per op call.
 */
export function registerWasmTrainingKernels(backendName = 'wasm'): void {
  registerSecondOrderGradients();
  if (registeredFor === backendName) return;
  for (const name of WASM_TRAINING_KERNELS) {
    if (name !== tf.BatchMatMul && tf.getKernel(name, backendName) !== undefined) tf.unregisterKernel(name, backendName);
  }
  registerConv2DBackpropFilter(backendName);
  registerConv2DBackpropInput(backendName);
  registerUnsortedSegmentSum(backendName);
  registerDepthwiseBackprop(backendName);
  registerFastBatchMatMul(backendName);
  registeredFor = backendName;
}
