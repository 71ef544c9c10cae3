import * as tf from '@tensorflow/tfjs-core';
import { paramLayout, sameLayout, shardBatch, sizeOf, writeParams } from './layout';
import type { AveragedGradients, FromWorker, GradientRunner, ParamLayout, TensorMap } from './protocol';
import { startWorkerThreads, type WorkerThread } from './worker-thread';

export interface DataParallelOptions {
  /** Path (or file URL) of a module exporting computeGradients(params, batch, phase). */
  modulePath: string;
  /** Passed to the module's optional setup(options) in every worker. */
  moduleOptions?: unknown;
  /** Worker threads, one wasm backend (one core) each. Default 2. */
  workers?: number;
}

/**
 * Data-parallel gradients over worker threads: each worker computes the gradient of half the
 * batch on its own single-threaded wasm backend; the halves are averaged here, weighted by
 * shard size. Parameters go out and gradients come back through SharedArrayBuffers. Only
 * parameters whose data changed since the last call are copied (a GAN's D step leaves G's
 * weights alone), and workers keep the tensors of the others, so a step costs one memcpy of the
 * changed parameters and one of the gradients per worker.
 *
 * The caller keeps the parameters and the optimizer: this only replaces a local
 * computeGradients(params, batch, phase) call.
 */
export class DataParallelTrainer implements GradientRunner {
  private layout: ParamLayout | null = null;
  private paramBuffer: Float32Array | null = null;
  private gradBuffers: Float32Array[] = [];
  /** The data each parameter had when last shared: a changed dataId means new values. */
  private sharedData = new Map<string, object>();

  private constructor(private readonly threads: WorkerThread[]) {}

  get workers(): number {
    return this.threads.length;
  }

  static async create(options: DataParallelOptions): Promise<DataParallelTrainer> {
    return new DataParallelTrainer(await startWorkerThreads(options.workers ?? 2, options.modulePath, options.moduleOptions));
  }

  async computeGradients(params: TensorMap, batch: TensorMap, phase: string): Promise<AveragedGradients> {
    const changed = this.shareParams(params);
    const { shards, sizes } = shardBatch(batch, this.threads.length);
    const replies = await Promise.all(this.threads.map((t, i) => t.request({ kind: 'step', phase, batch: shards[i], changed })));
    const weights = sizes.map((s) => s / sizes.reduce((a, b) => a + b, 0));
    const done = replies.map((r) => r as Extract<FromWorker, { kind: 'done' }>);
    return { grads: this.averageGrads(done[0].gradNames, weights), losses: averageLosses(done, weights) };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }

  /**
   * (Re)allocates the shared buffers when the parameter set changes, then copies in the values
   * that changed. Returns the names the workers must re-read.
   */
  private shareParams(params: TensorMap): string[] {
    if (this.layout === null || !sameLayout(this.layout, params)) {
      const layout = paramLayout(params);
      const bytes = layout.totalSize * 4;
      const paramShared = new SharedArrayBuffer(bytes);
      const gradShared = this.threads.map(() => new SharedArrayBuffer(bytes));
      this.threads.forEach((t, i) => t.post({ kind: 'layout', layout, params: paramShared, grads: gradShared[i] }));
      this.layout = layout;
      this.paramBuffer = new Float32Array(paramShared);
      this.gradBuffers = gradShared.map((b) => new Float32Array(b));
      this.sharedData.clear();
    }
    const changed = this.layout.names.filter((n) => this.sharedData.get(n) !== params[n].dataId);
    writeParams(this.layout, params, this.paramBuffer as Float32Array, changed);
    for (const n of changed) this.sharedData.set(n, params[n].dataId);
    return changed;
  }

  /**
   * Σ_w weight_w · grads_w, on the backend (a JS loop over millions of floats is ~10× slower),
   * over the span of the buffer the phase's gradients occupy (with sorted names, one network's
   * parameters are usually one span).
   */
  private averageGrads(names: string[], weights: number[]): TensorMap {
    const layout = this.layout as ParamLayout;
    const index = names.map((n) => layout.names.indexOf(n));
    const start = Math.min(...index.map((i) => layout.offsets[i]));
    const end = Math.max(...index.map((i) => layout.offsets[i] + sizeOf(layout.shapes[i])));
    return tf.tidy(() => {
      const parts = this.gradBuffers.map((buf, w) => tf.mul(tf.tensor1d(buf.subarray(start, end)), weights[w]));
      const flat = tf.addN(parts); // [end − start]
      const out: TensorMap = {};
      names.forEach((name, k) => {
        const i = index[k];
        out[name] = tf.reshape(tf.slice(flat, [layout.offsets[i] - start], [sizeOf(layout.shapes[i])]), layout.shapes[i]);
      });
      return out;
    });
  }
}

function averageLosses(replies: Extract<FromWorker, { kind: 'done' }>[], weights: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  replies.forEach((r, w) => {
    for (const [name, v] of Object.entries(r.losses)) out[name] = (out[name] ?? 0) + weights[w] * v;
  });
  return out;
}
