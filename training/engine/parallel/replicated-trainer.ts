import { createSharedMemory } from '../optim/adam-simd';
import type { FlatAdamSettings } from '../optim/flat-adam';
import { paramLayout, readParams, shardBatch, writeParams } from './layout';
import { PEER_FAILED } from './replica';
import { replicaMemoryLayout } from './replica-memory';
import type { FromWorker, ReplicaStepTimings, TensorMap, TrainStep } from './protocol';
import { startWorkerThreads, type WorkerThread } from './worker-thread';

export interface ReplicatedTrainerOptions {
  /** Path (or file URL) of a module exporting computeGradients(params, batch, phase). */
  modulePath: string;
  /** Passed to the module's optional setup(options) in every worker. */
  moduleOptions?: unknown;
  /** Worker threads, one wasm backend (one core) each. Default 2. */
  workers?: number;
  /** Initial values of every parameter, by name (copied; the caller keeps its tensors). */
  params: TensorMap;
  /** One Adam per key (each worker's own; FlatAdam's settings and update); each step names the one that applies its gradients. */
  optimizers: Record<string, FlatAdamSettings>;
}

/**
 * Data-parallel training with the optimizer in the workers (as PyTorch's DDP): each worker holds
 * a full copy of the parameters and of every Adam, computes the gradients of its share of the
 * batch, waits at a barrier until every share's gradients are in one shared WebAssembly.Memory,
 * then averages them (weighted by share size, in worker order) and takes the Adam step itself,
 * both in one SIMD pass (HostAdam).
 * Every replica does the same arithmetic on the same numbers, so the copies stay identical.
 *
 * Against DataParallelTrainer (gradients back to this thread, averaged and applied here, changed
 * parameters sent out again) nothing runs serially between two steps but the batch split: the
 * averaging and Adam run in every worker at once instead of after both.
 */
export class ReplicatedTrainer {
  /** Each worker's live tensor count after the last step: flat from step to step when nothing leaks. */
  workerTensorCounts: number[] = [];
  /** Each worker's timings of the last call's steps (gradients, barrier wait, update), per worker then per step. */
  workerTimings: ReplicaStepTimings[][] = [];

  private constructor(
    private readonly threads: WorkerThread[],
    private readonly layout: ReturnType<typeof paramLayout>,
    private readonly paramBuffer: Float32Array,
    private readonly optimizerKeys: string[],
  ) {}

  get workers(): number {
    return this.threads.length;
  }

  static async create(options: ReplicatedTrainerOptions): Promise<ReplicatedTrainer> {
    const threads = await startWorkerThreads(options.workers ?? 2, options.modulePath, options.moduleOptions);
    const layout = paramLayout(options.params);
    const workers = threads.length;
    const regions = replicaMemoryLayout(layout.totalSize, workers);
    const { memory, pages } = createSharedMemory(regions.bytes);
    const paramBuffer = new Float32Array(memory.buffer, regions.params, layout.totalSize);
    writeParams(layout, options.params, paramBuffer);
    const sync = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
    threads.forEach((t, self) => t.post({ kind: 'replicate', layout, memory, pages, workers, self, sync, optimizers: options.optimizers }));
    return new ReplicatedTrainer(threads, layout, paramBuffer, Object.keys(options.optimizers));
  }

  /** One training step: gradients of `phase` on the whole batch (split over the workers), then `optimizer`'s Adam step. Returns the batch-mean losses. */
  async step(batch: TensorMap, phase: string, optimizer: string): Promise<Record<string, number>> {
    return (await this.steps(batch, [{ phase, optimizer }]))[0];
  }

  /**
   * Several steps on the same batch, in order (a GAN iteration: the D step, then the G step): the
   * batch is split and sent once, and the workers go from one step to the next without waiting
   * for this thread. Returns each step's batch-mean losses.
   */
  async steps(batch: TensorMap, steps: TrainStep[]): Promise<Record<string, number>[]> {
    for (const { optimizer } of steps) {
      if (!this.optimizerKeys.includes(optimizer)) throw new Error(`ReplicatedTrainer: no optimizer "${optimizer}"; known: ${this.optimizerKeys.join(', ')}.`);
    }
    const { shards, sizes } = shardBatch(batch, this.threads.length);
    const total = sizes.reduce((a, b) => a + b, 0);
    const weights = sizes.map((s) => s / total);
    const replies = await settleAll(this.threads.map((t, i) => t.request({ kind: 'train', steps, batch: shards[i], weights })));
    const trained = replies as Extract<FromWorker, { kind: 'trained' }>[];
    this.workerTensorCounts = trained.map((r) => r.numTensors);
    this.workerTimings = trained.map((r) => r.timings);
    return steps.map((_, k) => {
      const losses: Record<string, number> = {};
      trained.forEach((r, w) => {
        for (const [name, v] of Object.entries(r.losses[k])) losses[name] = (losses[name] ?? 0) + weights[w] * v;
      });
      return losses;
    });
  }

  /** The current parameters (the first replica's; all are identical), as new tensors the caller disposes. */
  async readParams(replica = 0): Promise<TensorMap> {
    await this.threads[replica].request({ kind: 'write-params' });
    return readParams(this.layout, this.paramBuffer);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }
}

/** Like Promise.all, but when workers fail it reports the worker that failed first-hand, not its peers' "another worker failed". */
async function settleAll<T>(requests: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(requests);
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as Error);
  if (failures.length > 0) throw failures.find((e) => !String(e.message).includes(PEER_FAILED)) ?? failures[0];
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
