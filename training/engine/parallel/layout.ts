import * as tf from '@tensorflow/tfjs-core';
import { copyFloatsInto } from '../wasm-heap';
import type { ParamLayout, TensorMap, WireTensor } from './protocol';

/** Where each parameter lives in one flat float32 buffer, in sorted-name order. */
export function paramLayout(params: TensorMap): ParamLayout {
  const names = Object.keys(params).sort();
  const shapes = names.map((n) => params[n].shape.slice());
  const offsets: number[] = [];
  let totalSize = 0;
  for (const n of names) {
    offsets.push(totalSize);
    totalSize += params[n].size;
  }
  return { names, shapes, offsets, totalSize };
}

export function sameLayout(a: ParamLayout, params: TensorMap): boolean {
  const names = Object.keys(params).sort();
  return names.length === a.names.length && names.every((n, i) => n === a.names[i] && params[n].size === sizeOf(a.shapes[i]));
}

export function sizeOf(shape: number[]): number {
  return shape.reduce((x, y) => x * y, 1);
}

/** Copies the named parameters (default: all) into the flat shared buffer. */
export function writeParams(layout: ParamLayout, params: TensorMap, into: Float32Array, names: string[] = layout.names): void {
  for (const n of names) copyFloatsInto(params[n], into, layout.offsets[layout.names.indexOf(n)]);
}

/** Copies a gradient module's gradients (keyed by parameter name) into their places in a flat buffer laid out like the parameters. */
export function writeGradients(layout: ParamLayout, grads: TensorMap, into: Float32Array, names: string[] = Object.keys(grads)): void {
  for (const name of names) {
    const i = layout.names.indexOf(name);
    if (i < 0) throw new Error(`Gradient "${name}" names no parameter; computeGradients must key grads by parameter name.`);
    copyFloatsInto(grads[name], into, layout.offsets[i]);
  }
}

/** Fresh tensors on the current backend for the named parameters (default: all), copied out of the flat buffer. */
export function readParams(layout: ParamLayout, from: Float32Array, names: string[] = layout.names): TensorMap {
  const out: TensorMap = {};
  for (const n of names) {
    const i = layout.names.indexOf(n);
    const shape = layout.shapes[i];
    out[n] = tf.tensor(from.subarray(layout.offsets[i], layout.offsets[i] + sizeOf(shape)), shape, 'float32');
  }
  return out;
}

/** Splits every batch tensor along axis 0 into `parts` near-equal shards of plain data. */
export function shardBatch(batch: TensorMap, parts: number): { shards: Record<string, WireTensor>[]; sizes: number[] } {
  const names = Object.keys(batch);
  const total = batch[names[0]].shape[0];
  if (names.some((n) => batch[n].shape[0] !== total)) {
    throw new Error('Batch tensors disagree on their first (batch) dimension; every batch entry must have the same batch size.');
  }
  if (total < parts) throw new Error(`Batch of ${total} cannot be split over ${parts} workers; use a batch of at least ${parts}.`);
  const sizes = Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
  const shards: Record<string, WireTensor>[] = sizes.map(() => ({}));
  for (const n of names) {
    const t = batch[n];
    const rowSize = t.size / total;
    const data = t.dataSync() as Float32Array | Int32Array;
    let start = 0;
    sizes.forEach((size, i) => {
      shards[i][n] = {
        data: data.slice(start * rowSize, (start + size) * rowSize),
        shape: [size, ...t.shape.slice(1)],
        dtype: t.dtype === 'int32' ? 'int32' : 'float32',
      };
      start += size;
    });
  }
  return { shards, sizes };
}

export function fromWire(w: WireTensor): tf.Tensor {
  return tf.tensor(w.data, w.shape, w.dtype);
}
