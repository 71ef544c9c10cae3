import * as tf from '@tensorflow/tfjs-core';
import { FlatAdam } from '../optim/flat-adam';
import { fromWire, readParams, sizeOf } from './layout';
import { runGradientStep } from './local-runner';
import type { GradientModule, ParamLayout, ToWorker } from './protocol';

type ReplicateMessage = Extract<ToWorker, { kind: 'replicate' }>;
type TrainMessage = Extract<ToWorker, { kind: 'train' }>;

export const PEER_FAILED = 'Another training worker failed in this step';

/**
 * One ReplicatedTrainer worker's copy of the model (DDP-style): its own tf.Variables and Adam
 * moments. Every replica averages the same gradients in the same order and applies the same
 * Adam step, so the copies stay bit-identical and no parameters cross threads after the start.
 */
export class Replica {
  private readonly variables: Record<string, tf.Variable> = {};
  private readonly optimizers = new Map<string, FlatAdam>();
  private readonly layout: ParamLayout;
  private readonly params: Float32Array;
  private readonly grads: Float32Array[];
  private readonly self: number;
  /** [arrivals, last failed step]: arrivals only grow, so step k's barrier is passed at k × workers. */
  private readonly sync: Int32Array;
  private generation = 0;

  constructor(private readonly msg: ReplicateMessage) {
    this.layout = msg.layout;
    this.params = new Float32Array(msg.params);
    this.grads = msg.grads.map((b) => new Float32Array(b));
    this.self = msg.self;
    this.sync = new Int32Array(msg.sync);
    const initial = readParams(this.layout, this.params);
    for (const [name, t] of Object.entries(initial)) {
      this.variables[name] = tf.variable(t, true, name);
      t.dispose();
    }
  }

  /** Gradients of this shard → shared buffer → barrier → average of all shards → Adam. */
  train(mod: GradientModule, msg: TrainMessage): Record<string, number> {
    const batch = Object.fromEntries(Object.entries(msg.batch).map(([n, w]) => [n, fromWire(w)]));
    let names: string[];
    let losses: Record<string, number>;
    try {
      const result = runGradientStep(mod, this.variables, batch, msg.phase);
      names = Object.keys(result.grads).sort();
      losses = result.losses;
      this.writeGrads(names, result.grads);
      tf.dispose(result.grads);
    } catch (e) {
      this.arrive(true);
      throw e;
    } finally {
      tf.dispose(batch);
    }
    this.arrive(false);
    // Every replica sums the shards in worker order with the same weights: identical updates.
    const segments = this.segmentsOf(names);
    tf.tidy(() => {
      const parts = this.grads.map((buf, w) => tf.mul(tf.tensor1d(gather(buf, segments)), msg.weights[w])); // [N] each
      this.optimizer(msg.optimizer).applyFlatGradient(names, tf.addN(parts) as tf.Tensor1D);
    });
    return losses;
  }

  writeParams(): void {
    this.layout.names.forEach((n, i) => this.params.set(this.variables[n].dataSync() as Float32Array, this.layout.offsets[i]));
  }

  dispose(): void {
    tf.dispose(Object.values(this.variables));
    for (const o of this.optimizers.values()) o.dispose();
  }

  private optimizer(key: string): FlatAdam {
    let o = this.optimizers.get(key);
    if (o === undefined) {
      const settings = this.msg.optimizers[key];
      if (settings === undefined) throw new Error(`ReplicatedTrainer: no optimizer "${key}"; known: ${Object.keys(this.msg.optimizers).join(', ')}.`);
      o = new FlatAdam(settings);
      this.optimizers.set(key, o);
    }
    return o;
  }

  private writeGrads(names: string[], grads: Record<string, tf.Tensor>): void {
    const own = this.grads[this.self];
    for (const name of names) {
      const i = this.layout.names.indexOf(name);
      if (i < 0) throw new Error(`Gradient "${name}" names no parameter; computeGradients must key grads by parameter name.`);
      own.set(grads[name].dataSync() as Float32Array, this.layout.offsets[i]);
    }
  }

  /** Where the named parameters sit in the flat buffers, in order, with neighbours merged into one run. */
  private segmentsOf(names: string[]): Segment[] {
    const runs: Segment[] = [];
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
    const target = this.generation * this.grads.length;
    const now = Atomics.add(this.sync, 0, 1) + 1;
    if (now >= target) Atomics.notify(this.sync, 0);
    else for (let v = now; v < target; v = Atomics.load(this.sync, 0)) Atomics.wait(this.sync, 0, v);
    if (!failed && Atomics.load(this.sync, 1) === this.generation) throw new Error(`${PEER_FAILED}; see its error.`);
  }
}

interface Segment {
  start: number;
  end: number;
}

/** The segments of `buf` end to end: a view when they are one run (one network's sorted names), else a copy. */
function gather(buf: Float32Array, segments: Segment[]): Float32Array {
  if (segments.length === 1) return buf.subarray(segments[0].start, segments[0].end);
  const out = new Float32Array(segments.reduce((a, s) => a + s.end - s.start, 0));
  let at = 0;
  for (const s of segments) {
    out.set(buf.subarray(s.start, s.end), at);
    at += s.end - s.start;
  }
  return out;
}
