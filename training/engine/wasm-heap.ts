import * as tf from '@tensorflow/tfjs-core';

/** The parts of the wasm backend that give heap views of tensor data (kernels that copy, tensorFromFloats). */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

/**
 * A new float32 tensor holding a copy of `data`. On wasm the copy goes straight into the heap
 * (one memcpy); tf.tensor would need a JS-side copy first, since the values it is given may be
 * kept by the backend and `data` is often a view of memory that changes on the next step.
 */
export function tensorFromFloats(data: Float32Array, shape: number[]): tf.Tensor {
  const backend = heapBackend();
  if (backend === null) return tf.tensor(data.slice(), shape, 'float32');
  const info = backend.makeOutput(shape, 'float32');
  (backend.typedArrayFromHeap(info) as Float32Array).set(data);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * Copies a float32 tensor's values into `target` at `offset`. On wasm straight from the heap (one
 * memcpy, no garbage); dataSync would first allocate a JS copy, megabytes per training step, whose
 * collection stalls one worker while the others wait for it at the barrier.
 */
export function copyFloatsInto(t: tf.Tensor, target: Float32Array, offset: number): void {
  const backend = heapBackend();
  if (t.dtype !== 'float32' || backend === null) {
    target.set(t.dataSync() as Float32Array, offset);
    return;
  }
  target.set(backend.typedArrayFromHeap({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }) as Float32Array, offset);
}

/** The current backend if it gives heap views (wasm), else null. */
function heapBackend(): HeapBackend | null {
  const backend = tf.backend() as unknown as Partial<HeapBackend>;
  return typeof backend.makeOutput === 'function' && typeof backend.typedArrayFromHeap === 'function' ? (backend as HeapBackend) : null;
}
