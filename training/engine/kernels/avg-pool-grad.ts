import * as tf from '@tensorflow/tfjs-core';
import { runOnWrapped, wrapStockKernel } from './op-kernel';

/**
 * AvgPoolGrad for non-overlapping windows (stride = window, no padding, sizes divisible: the
 * ×2 down-sampling of every editing component G'_i). Each input pixel of block k received
 * dy[k] / (fh·fw), which is a nearest-neighbour up-sampling of dy divided by the window's area.
 * wasm's own kernel is a scalar loop: 24 ms for [14, 64, 64, 32] in the MemeFace step.
 * Other windows keep the stock kernel.
 */
export function registerFastAvgPoolGrad(backendName: string): void {
  wrapStockKernel(tf.AvgPoolGrad, backendName, (original) => (args) => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad } = args.attrs as unknown as tf.AvgPoolGradAttrs;
    const [fh, fw] = pair(filterSize);
    const [sh, sw] = pair(strides);
    const [h, w] = [input.shape[1], input.shape[2]];
    const tiles = fh === sh && fw === sw && h === dy.shape[1] * fh && w === dy.shape[2] * fw;
    if (!tiles || (pad !== 'valid' && pad !== 0)) return original.kernelFunc(args);
    return runOnWrapped([dy], args.backend, (d) =>
      tf.div(tf.image.resizeNearestNeighbor(d as tf.Tensor4D, [h, w]), fh * fw), // [B, H, W, C]
    );
  });
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}
