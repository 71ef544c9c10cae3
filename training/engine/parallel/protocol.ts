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
  computeGradients(params: TensorMap, batch: TensorMap, phase: string, context?: GradientContext): GradientResult;
}

/**
 * What a runner offers a gradient call. ReplicatedTrainer applies one step's update while the
 * next step has already begun, so that a phase can overlap work with the wait for the other
 * workers (a G step runs its generator forward while the D step's gradients are still being
 * averaged and applied).
 */
export interface GradientContext {
  /**
   * Returns once the previous step's update is in `params`. Before calling it a phase may read
   * only parameters that the previous step does not update (a G step, after a D step: G's);
   * it must call it before reading any other. Runners that update before the call make it a
   * no-op; calling it twice is harmless. A phase that never calls it is correct too: the runner
   * then applies the update before the phase starts.
   */
  previousStepApplied(): void;
}

/** For runners that apply every update before the next gradient call. */
export const UPDATES_APPLIED: GradientContext = { previousStepApplied: () => {} };

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

/** One optimizer step of a ReplicatedTrainer iteration: the gradient module's phase and the Adam that applies it. */
export interface TrainStep {
  phase: string;
  optimizer: string;
}

/** Where one ReplicatedTrainer worker's step went, in ms of wall time. */
export interface ReplicaStepTimings {
  /** This shard's forward and backward pass, and writing its gradients into the shared memory. */
  gradients: number;
  /** Waiting at the barrier for the other workers' gradients (idle time). */
  barrier: number;
  /** Averaging the shards, Adam, and the new parameters into tensors. */
  update: number;
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
  /**
   * ReplicatedTrainer: for each step in order, gradients of `phase` on this shard, averaged with
   * the others' (`weights`), then `optimizer`'s Adam step. One message for a whole iteration
   * (e.g. a D step then a G step on the same batch): one shard copy and one round trip.
   */
  | { kind: 'train'; steps: TrainStep[]; batch: Record<string, WireTensor>; weights: number[] }
  /** ReplicatedTrainer: write this replica's parameters into the shared parameter buffer. */
  | { kind: 'write-params' };

export type FromWorker =
  | { kind: 'ready'; backend: string }
  | { kind: 'done'; gradNames: string[]; losses: Record<string, number> }
  /** `numTensors`: the worker's live tensors after the step (leak checks). */
  | { kind: 'trained'; losses: Record<string, number>[]; numTensors: number; timings: ReplicaStepTimings[] }
  | { kind: 'params-written' }
  | { kind: 'error'; message: string };
