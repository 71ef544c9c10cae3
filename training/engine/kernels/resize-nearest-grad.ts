import * as tf from '@tensorflow/tfjs-core';
import { runOnWrapped, wrapStockKernel } from './op-kernel';

/**
 * ResizeNearestNeighborGrad for integer upscaling (the ×2 of every decoder), as a sum pool:
 * with out = f·in, output pixel f·k + j reads input pixel k (with or without half-pixel
 * centres), so the gradient of pixel k is the sum of its f×f block = avgPool × f².
 * wasm's own kernel is a scalar loop (~70 ms for one 64 px decoder layer at batch 14); avgPool
 * runs on XNNPACK. Other cases (align corners, non-integer factors) keep the stock kernel.
 */
export function registerFastResizeNearestGrad(backendName: string): void {
  wrapStockKernel(tf.ResizeNearestNeighborGrad, backendName, (original) => (args) => {
    const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const { alignCorners } = args.attrs as unknown as tf.ResizeNearestNeighborGradAttrs;
    const fh = dy.shape[1] / images.shape[1];
    const fw = dy.shape[2] / images.shape[2];
    if (alignCorners || !Number.isInteger(fh) || !Number.isInteger(fw)) return original.kernelFunc(args);
    return runOnWrapped([dy], args.backend, (d) =>
      tf.mul(tf.avgPool(d as tf.Tensor4D, [fh, fw], [fh, fw], 'valid'), fh * fw), // [B, H, W, C]
    );
  });
}
