import * as tf from '@tensorflow/tfjs-core';

/**
 * Helpers for kernels that are built from other tf ops instead of hand-written wasm.
 *
 * The engine hands a kernel raw TensorInfos. Wrapping one as a Tensor and disposing the wrapper
 * would decrement the backend's refcount and free the caller's data, so every wrapper takes
 * its own backend reference first.
 */
export function wrapInput(info: tf.TensorInfo, backend: unknown): tf.Tensor {
  (backend as tf.KernelBackend).incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * Runs `compute` on wrapped inputs and returns its result as the kernel's output.
 * Returning a Tensor (not a bare TensorInfo) lets the engine adopt it without copying.
 */
export function runOnWrapped(
  infos: tf.TensorInfo[],
  backend: unknown, // the KernelBackend the engine passes to kernelFunc
  compute: (...xs: tf.Tensor[]) => tf.Tensor,
): tf.TensorInfo {
  const xs = infos.map((info) => wrapInput(info, backend));
  try {
    return tf.tidy(() => compute(...xs));
  } finally {
    for (const x of xs) x.dispose();
  }
}

/**
 * Replaces a backend's stock kernel with `wrap(original)`, keeping its setup function; the
 * wrapper falls back to `original.kernelFunc` for the cases it does not speed up. Does nothing
 * when the backend has no such kernel.
 */
export function wrapStockKernel(kernelName: string, backendName: string, wrap: (original: tf.KernelConfig) => tf.KernelFunc): void {
  const original = tf.getKernel(kernelName, backendName);
  if (original === undefined) return;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ ...original, kernelFunc: wrap(original) });
}
