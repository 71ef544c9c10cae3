import * as tf from '@tensorflow/tfjs-core';
import { wrapStockKernel } from './op-kernel';

/**
 * Identity that shares the input's data, as the cpu and webgl backends (and wasm's own Reshape)
 * do. wasm's Identity copies it, and tfjs runs Identity for every tensor an op saves for its
 * backward pass (engine.saveTensorsForBackwardMode): ~250 full copies per stand-in iteration.
 * Sharing is safe because tensor data is never written in place; a Variable's assign swaps data.
 */
export function registerSharingIdentity(backendName: string): void {
  wrapStockKernel(tf.Identity, backendName, (original) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return original.kernelFunc(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
