import * as tf from '@tensorflow/tfjs-core';
import type { HeapBackend } from '../wasm-heap';
import { wrapStockKernel } from './op-kernel';

/**
 * Slice that reads the input in place. wasm's own kernel starts with readSync, which copies the
 * whole input out of the heap for every slice: cutting 9 filter taps out of a [3, 3, 256, 256]
 * filter copied it 9 times (0.35 ms a slice). This one copies only the slice, as the longest
 * contiguous runs the box allows. Strings keep the stock kernel.
 */
export function registerFastSlice(backendName: string): void {
  wrapStockKernel(tf.Slice, backendName, (original) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return original.kernelFunc(args);
    const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    return sliceInPlace(args.backend as unknown as HeapBackend, x, b, s);
  });
}

/**
 * SplitV as in-place slices. wasm's SplitV calls its own slice function, not the registered
 * Slice kernel, so it copied the whole input once per part: splitting a concat's gradient
 * [14, 64, 64, 35] into 32 + 3 channels took 23–25 ms in the MemeFace step.
 */
export function registerFastSplitV(backendName: string): void {
  wrapStockKernel(tf.SplitV, backendName, (original) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return original.kernelFunc(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
    const a = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, a);
    const begin = x.shape.map(() => 0);
    return sizes.map((n) => {
      const size = x.shape.slice();
      size[a] = n;
      const out = sliceInPlace(args.backend as unknown as HeapBackend, x, begin.slice(), size);
      begin[a] += n;
      return out;
    });
  });
}

function sliceInPlace(backend: HeapBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype); // before the views: it may grow the heap
  if (size.some((d) => d === 0)) return out;
  copyBox(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

/** Below this many elements a run is copied by a loop: subarray + set costs an allocation per run. */
const SHORT_RUN = 64;

/** Copies the box [begin, begin + size) of a row-major array of `shape` into `out`. */
export function copyBox(src: tf.TypedArray, shape: number[], begin: number[], size: number[], out: tf.TypedArray): void {
  const rank = shape.length;
  const strides = tf.util.computeStrides(shape); // per axis but the last
  const stride = (d: number) => (d === rank - 1 ? 1 : strides[d]);
  // Axes from `inner` on form one contiguous run: all full after the first (outermost) of them.
  let inner = rank - 1;
  while (inner > 0 && size[inner] === shape[inner]) inner--;
  const run = inner < 0 ? 1 : size.slice(inner).reduce((a, c) => a * c, 1);
  let offset = 0;
  for (let d = 0; d < rank; d++) offset += begin[d] * stride(d);
  const index = new Array<number>(inner).fill(0); // odometer over the outer axes
  for (let written = 0; written < out.length; written += run) {
    if (run < SHORT_RUN) for (let k = 0; k < run; k++) out[written + k] = src[offset + k];
    else (out as Float32Array).set((src as Float32Array).subarray(offset, offset + run), written);
    let d = inner - 1;
    while (d >= 0) {
      index[d]++;
      offset += stride(d);
      if (index[d] < size[d]) break;
      offset -= size[d] * stride(d);
      index[d] = 0;
      d--;
    }
  }
}
