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
  const backend = tf.backend() as unknown as Partial<HeapBackend>;
  if (typeof backend.makeOutput !== 'function' || typeof backend.typedArrayFromHeap !== 'function') {
    return tf.tensor(data.slice(), shape, 'float32');
  }
  const info = backend.makeOutput(shape, 'float32');
  (backend.typedArrayFromHeap(info) as Float32Array).set(data);
  return tf.engine().makeTensorFromTensorInfo(info);
}
