import * as tf from '@tensorflow/tfjs-core';
import { instantiateAdamSimd, type AdamSimd } from '../optim/adam-simd';
import { HostAdam, type AdamRegions, type FlatRange } from '../optim/host-adam';
import { tensorFromFloats } from '../wasm-heap';
import { fromWire, sizeOf, writeGradients } from './layout';
import { runGradientStep } from './local-runner';
import { replicaMemoryLayout, type ReplicaMemoryLayout } from './replica-memory';
import type { GradientModule, ParamLayout, ReplicaStepTimings, ToWorker, TrainStep } from './protocol';

type ReplicateMessage = Extract<ToWorker, { kind: 'replicate' }>;
type TrainMessage = Extract<ToWorker, { kind: 'train' }>;

export const PEER_FAILED = 'Another training worker failed in this step';

/**
 * One ReplicatedTrainer worker's copy of the model (DDP-style): its own parameters θ (a flat
 * region of the shared memory, mirrored into tf.Variables for the gradient calls) and Adam
 * moments. Every replica averages the same gradients in the same order and applies the same
 * Adam step, so the copies stay bit-identical and no parameters cross threads after the start.
 */
export class Replica {
  private readonly variables: Record<string, tf.Variable> = {};
  private readonly optimizers = new Map<string, HostAdam>();
  private readonly layout: ParamLayout;
  private readonly regions: ReplicaMemoryLayout;
  private readonly heap: Float32Array;
  private readonly kernel: AdamSimd;
  private readonly self: number;
  private readonly workers: number;
  /** [arrivals, last failed step]: arrivals only grow, so step k's barrier is passed at k × workers. */
  private readonly sync: Int32Array;
  private generation = 0;

  constructor(private readonly msg: ReplicateMessage) {
    this.layout = msg.layout;
    this.self = msg.self;
    this.workers = msg.workers;
    this.sync = new Int32Array(msg.sync);
    this.regions = replicaMemoryLayout(this.layout.totalSize, this.workers);
    this.heap = new Float32Array(msg.memory.buffer);
    this.kernel = instantiateAdamSimd(msg.memory, msg.pages);
    this.view(this.regions.theta[this.self]).set(this.view(this.regions.params));
    this.layout.names.forEach((name, i) => {
      const t = this.paramTensor(i);
      this.variables[name] = tf.variable(t, true, name);
      t.dispose();
    });
  }

  /**
   * Each step in turn: gradients of this shard → shared memory → barrier → average of all shards
   * and Adam, one pass. A step's barrier and update run when the next step's phase asks for them
   * (GradientContext.previousStepApplied), so that its first part overlaps the wait for the other
   * workers; the last step's run before returning. Every worker passes every step's barrier
   * exactly once, failed or not, so the barrier generations stay aligned after an error.
   */
  train(mod: GradientModule, msg: TrainMessage): { losses: Record<string, number>[]; timings: ReplicaStepTimings[] } {
    const batch = Object.fromEntries(Object.entries(msg.batch).map(([n, w]) => [n, fromWire(w)]));
    const losses: Record<string, number>[] = [];
    const timings: ReplicaStepTimings[] = [];
    let pending: (() => void) | null = null; // the previous step's barrier and update
    let finishing = 0; // ms spent in it, not counted as the current step's gradients
    const finishPrevious = () => {
      const finish = pending;
      pending = null;
      const t = performance.now();
      finish?.();
      finishing += performance.now() - t;
    };
    let error: unknown = null;
    try {
      for (const step of msg.steps) {
        if (error !== null) {
          this.arrive(true);
          continue;
        }
        const t0 = performance.now();
        finishing = 0;
        let names: string[];
        try {
          const result = runGradientStep(mod, this.variables, batch, step.phase, { previousStepApplied: finishPrevious });
          finishPrevious();
          names = Object.keys(result.grads).sort();
          losses.push(result.losses);
          this.writeGrads(names, result.grads);
          tf.dispose(result.grads);
        } catch (e) {
          error = e;
          try {
            finishPrevious();
          } catch {
            // the previous step failed in a peer: its barrier is passed, this step's comes next
          }
          this.arrive(true);
          continue;
        }
        const stepTimings: ReplicaStepTimings = { gradients: performance.now() - t0 - finishing, barrier: 0, update: 0 };
        timings.push(stepTimings);
        pending = () => this.finishStep(step, names, msg.weights, stepTimings);
      }
      if (error === null) finishPrevious();
    } catch (e) {
      error ??= e;
    } finally {
      tf.dispose(batch);
    }
    if (error !== null) throw error;
    return { losses, timings };
  }

  /** After a step's gradients are written: its barrier, then the shards' average and Adam, then the new values into the variables. */
  private finishStep(step: TrainStep, names: string[], weights: number[], timings: ReplicaStepTimings): void {
    const t0 = performance.now();
    this.arrive(false);
    const t1 = performance.now();
    const ranges = this.rangesOf(names);
    // Every replica sums the shards in worker order with the same weights: identical updates.
    this.optimizer(step.optimizer).update(this.adamRegions(weights, ranges), ranges);
    for (const name of names) {
      const t = this.paramTensor(this.layout.names.indexOf(name));
      this.variables[name].assign(t); // the variable now shares t's data; t itself is ours to free
      t.dispose();
    }
    timings.barrier = t1 - t0;
    timings.update = performance.now() - t1;
  }

  writeParams(): void {
    this.view(this.regions.params).set(this.view(this.regions.theta[this.self]));
  }

  dispose(): void {
    tf.dispose(Object.values(this.variables));
  }

  /** The whole flat layout in the region at byte offset `at`. */
  private view(at: number): Float32Array {
    return this.heap.subarray(at / 4, at / 4 + this.layout.totalSize);
  }

  /** Parameter i of the layout, from this replica's θ, as a new tensor. */
  private paramTensor(i: number): tf.Tensor {
    const start = this.regions.theta[this.self] / 4 + this.layout.offsets[i];
    return tensorFromFloats(this.heap.subarray(start, start + sizeOf(this.layout.shapes[i])), this.layout.shapes[i]);
  }

  /** The step's buffers: two shards go straight to the kernel; more are summed into scratch first. */
  private adamRegions(weights: number[], ranges: FlatRange[]): AdamRegions {
    const own = { m: this.regions.m[this.self], v: this.regions.v[this.self], theta: this.regions.theta[this.self] };
    const g = this.regions.grads.map((buffers) => buffers[this.generation % 2]); // this step's buffers
    if (this.workers === 1) return { ...own, g0: g[0], g1: g[0], w0: weights[0], w1: 0 };
    if (this.workers === 2) return { ...own, g0: g[0], g1: g[1], w0: weights[0], w1: weights[1] };
    const scratch = this.view((this.regions.scratch as number[])[this.self]);
    for (const { start, end } of ranges) {
      scratch.fill(0, start, end);
      for (let w = 1; w < this.workers; w++) {
        const grad = this.view(g[w]);
        for (let i = start; i < end; i++) scratch[i] += weights[w] * grad[i];
      }
    }
    return { ...own, g0: g[0], g1: (this.regions.scratch as number[])[this.self], w0: weights[0], w1: 1 };
  }

  private optimizer(key: string): HostAdam {
    let o = this.optimizers.get(key);
    if (o === undefined) {
      const settings = this.msg.optimizers[key];
      if (settings === undefined) throw new Error(`ReplicatedTrainer: no optimizer "${key}"; known: ${Object.keys(this.msg.optimizers).join(', ')}.`);
      // FlatAdam's default ε, the backend's, so that both optimizers take the same step.
      o = new HostAdam({ ...settings, epsilon: settings.epsilon ?? tf.backend().epsilon() }, this.kernel, this.heap);
      this.optimizers.set(key, o);
    }
    return o;
  }

  private writeGrads(names: string[], grads: Record<string, tf.Tensor>): void {
    writeGradients(this.layout, grads, this.view(this.regions.grads[this.self][(this.generation + 1) % 2]), names); // the next barrier's buffer
  }

  /** Where the named parameters sit in the flat layout, in order, with neighbours merged into one run. */
  private rangesOf(names: string[]): FlatRange[] {
    const runs: FlatRange[] = [];
    for (const name of names) {
      const i = this.layout.names.indexOf(name);
      const start = this.layout.offsets[i];
      const end = start + sizeOf(this.layout.shapes[i]);
      const last = runs[runs.length - 1];
      if (last !== undefined && last.end === start) last.end = end;
      else runs.push({ start, end });
    }
    return runs;
  }

  /** Waits until every worker has written its gradients for this step (or failed). */
  private arrive(failed: boolean): void {
    this.generation++;
    // The failed step's number, so that a failure fails that step only.
    if (failed) Atomics.store(this.sync, 1, this.generation);
    const target = this.generation * this.workers;
    const now = Atomics.add(this.sync, 0, 1) + 1;
    if (now >= target) Atomics.notify(this.sync, 0);
    else for (let v = now; v < target; v = Atomics.load(this.sync, 0)) Atomics.wait(this.sync, 0, v);
    if (!failed && Atomics.load(this.sync, 1) === this.generation) throw new Error(`${PEER_FAILED}; see its error.`);
  }
}
