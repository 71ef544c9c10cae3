import type * as tf from '@tensorflow/tfjs-core';
import type { FlatAdamSettings } from '../optim/flat-adam';

/** Named tensors: parameters, gradients, or a batch. */
export type TensorMap = Record<string, tf.Tensor>;

/** What a gradient module's computeGradients returns. Losses are scalars (tensors or numbers). */
export interface GradientResult {
  grads: TensorMap;
  losses: Record<string, tf.Tensor | number>;
}

/**
 * A gradient module: a file that a worker imports by path. It must be pure: gradients depend
 * only on (params, batch, phase), so any number of workers can split a batch between them.
 * Losses must be means over the batch, so that shard results average into the full result.
 */
export interface GradientModule {
  /** Called once per process with DataParallelTrainer's `moduleOptions` (structured-cloneable). */
  setup?(options: unknown): void | Promise<void>;
  computeGradients(params: TensorMap, batch: TensorMap, phase: string): GradientResult;
}

/** The same call, run in-process or spread over workers. Gradients are averaged over the batch. */
export interface GradientRunner {
  readonly workers: number;
  /** Grads are new tensors on the caller's backend: the caller disposes them. */
  computeGradients(params: TensorMap, batch: TensorMap, phase: string): Promise<AveragedGradients>;
  dispose(): Promise<void>;
}

export interface AveragedGradients {
  grads: TensorMap;
  losses: Record<string, number>;
}

/** A tensor as plain data, to cross a thread boundary. */
export interface WireTensor {
  data: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

export interface ParamLayout {
  names: string[];
  shapes: number[][];
  offsets: number[];
  totalSize: number;
}

export type ToWorker =
  | { kind: 'init'; modulePath: string; moduleOptions: unknown }
  | { kind: 'layout'; layout: ParamLayout; params: SharedArrayBuffer; grads: SharedArrayBuffer }
  /** `changed`: parameters whose values in the shared buffer are new since the last step. */
  | { kind: 'step'; phase: string; batch: Record<string, WireTensor>; changed: string[] }
  /**
   * ReplicatedTrainer: this worker keeps its own copy of every parameter (initialised from the
   * memory's params region) and one Adam per optimizer key. `memory` is laid out by
   * replicaMemoryLayout(layout.totalSize, workers), `pages` long; `sync` is the step barrier
   * (Int32Array [arrivals, failed]).
   */
  | {
      kind: 'replicate';
      layout: ParamLayout;
      memory: WebAssembly.Memory;
      pages: number;
      workers: number;
      self: number;
      sync: SharedArrayBuffer;
      optimizers: Record<string, FlatAdamSettings>;
    }
  /** ReplicatedTrainer: gradients of this shard, averaged with the others' (`weights`), then `optimizer`'s Adam step. */
  | { kind: 'train'; phase: string; batch: Record<string, WireTensor>; optimizer: string; weights: number[] }
  /** ReplicatedTrainer: write this replica's parameters into the shared parameter buffer. */
  | { kind: 'write-params' };

export type FromWorker =
  | { kind: 'ready'; backend: string }
  | { kind: 'done'; gradNames: string[]; losses: Record<string, number> }
  /** `numTensors`: the worker's live tensors after the step (leak checks). */
  | { kind: 'trained'; losses: Record<string, number>; numTensors: number }
  | { kind: 'params-written' }
  | { kind: 'error'; message: string };
