import * as tf from '@tensorflow/tfjs-core';
import { copyFloatsInto, tensorFromFloats } from '../wasm-heap';
import { createSharedMemory, instantiateAdamSimd } from './adam-simd';
import { checkSameVariables, registeredVariable, type FlatAdamSettings } from './flat-adam';
import { HostAdam, type AdamRegions } from './host-adam';

/**
 * FlatAdam's interface and update, run by the SIMD kernel (HostAdam) in a memory of its own:
 * per step the gradients are copied in, one fused pass updates m, v and θ, and θ's spans are
 * written back into the variables. It reads θ from the variables on every step, so anything
 * else that assigns them (a checkpoint restore) is seen. One SimdAdam per network.
 *
 * The one-core training loop uses it so that it runs the same optimizer as ReplicatedTrainer's
 * workers: the benchmark's one-core vs two-core ratio then measures the second core, not Adam.
 */
export class SimdAdam {
  private names: string[] | null = null;
  private offsets: number[] = [];
  private total = 0;
  private heap: Float32Array | null = null;
  private regions: AdamRegions | null = null;
  private adam: HostAdam | null = null;

  constructor(private readonly settings: FlatAdamSettings) {}

  /** Updates the registered tf.Variables named by the keys of `grads`. */
  applyGradients(grads: Record<string, tf.Tensor>): void {
    const names = this.layoutFor(Object.keys(grads), (n) => grads[n].size);
    const heap = this.heap as Float32Array;
    const at = this.regions as AdamRegions;
    const vars = names.map((n) => registeredVariable(n, 'SimdAdam'));
    names.forEach((n, i) => {
      copyFloatsInto(grads[n], heap, at.g0 / 4 + this.offsets[i]);
      copyFloatsInto(vars[i], heap, at.theta / 4 + this.offsets[i]);
    });
    (this.adam as HostAdam).update(at, [{ start: 0, end: this.total }]);
    vars.forEach((variable, i) => {
      const start = at.theta / 4 + this.offsets[i];
      const t = tensorFromFloats(heap.subarray(start, start + variable.size), variable.shape);
      variable.assign(t); // the variable now shares t's data; t itself is ours to free
      t.dispose();
    });
  }

  dispose(): void {
    this.heap = null;
    this.adam = null;
  }

  private layoutFor(keys: string[], sizeOf: (name: string) => number): string[] {
    const names = [...keys].sort();
    if (this.names === null) {
      this.names = names;
      this.offsets = [];
      for (const n of names) {
        this.offsets.push(this.total);
        this.total += sizeOf(n);
      }
      // Regions g, m, v, θ, each the whole flat layout rounded up to 16 bytes.
      const region = Math.ceil(this.total / 4) * 16;
      const { memory, pages } = createSharedMemory(4 * region);
      this.heap = new Float32Array(memory.buffer);
      this.regions = { g0: 0, g1: 0, w0: 1, w1: 0, m: region, v: 2 * region, theta: 3 * region };
      const epsilon = this.settings.epsilon ?? tf.backend().epsilon();
      this.adam = new HostAdam({ ...this.settings, epsilon }, instantiateAdamSimd(memory, pages), this.heap);
      return names;
    }
    checkSameVariables(names, this.names, 'SimdAdam');
    return names;
  }
}
