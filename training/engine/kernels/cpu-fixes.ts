import * as tf from '@tensorflow/tfjs-core';
import { wrapStockKernel } from './op-kernel';

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

const FIXED = Symbol.for('memeface.cpuKernelFixes');

/**
 * Stock cpu kernels that tfjs 4.22 gets wrong, replaced (once per process). The cpu backend is
 * the training fallback and the reference the engine's kernel tests compare with.
 *
 * ResizeNearestNeighborGrad: the stock kernel steps through dy with the *images'* batch stride,
 * so every batch element after the first reads the wrong rows of dy (found when webgpu in Node
 * disagreed with cpu; wasm and webgpu are right).
 */
export function registerCpuKernelFixes(): void {
  const g = globalThis as { [FIXED]?: boolean };
  if (g[FIXED]) return;
  wrapStockKernel(tf.ResizeNearestNeighborGrad, 'cpu', () => resizeNearestNeighborGrad);
  g[FIXED] = true;
}

/** The exact adjoint of the cpu ResizeNearestNeighbor: each dy pixel adds into the pixel it was copied from. */
function resizeNearestNeighborGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as tf.ResizeNearestNeighborGradAttrs;
  const backend = args.backend as CpuBackendLike;
  const [batch, inH, inW, channels] = images.shape; // [B, H, W, C]
  const [, outH, outW] = dy.shape; // [B, H', W', C]
  const rows = sources(inH, outH, alignCorners, halfPixelCenters);
  const cols = sources(inW, outW, alignCorners, halfPixelCenters);
  const dyValues = backend.data.get(dy.dataId).values;
  const dx = new Float32Array(batch * inH * inW * channels);
  let at = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < outH; r++) {
      const rowBase = (b * inH + rows[r]) * inW;
      for (let c = 0; c < outW; c++) {
        const base = (rowBase + cols[c]) * channels;
        for (let d = 0; d < channels; d++) dx[base + d] += dyValues[at++];
      }
    }
  }
  return backend.makeTensorInfo([batch, inH, inW, channels], 'float32', dx);
}

/** For each output position along one axis, the input position the forward kernel copies (as tfjs-backend-cpu computes it). */
function sources(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): number[] {
  const ratio = (alignCorners && outSize > 1 ? inSize - 1 : inSize) / (alignCorners && outSize > 1 ? outSize - 1 : outSize);
  return Array.from({ length: outSize }, (_, o) => {
    const frac = halfPixelCenters ? ratio * (o + 0.5) : ratio * o;
    const nearest = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    return halfPixelCenters ? Math.max(0, nearest) : nearest;
  });
}
