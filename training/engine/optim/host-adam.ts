import type { AdamSimd } from './adam-simd';
import type { FlatAdamSettings } from './flat-adam';

/** A run [start, end) of one flat parameter layout (float indices). */
export interface FlatRange {
  start: number;
  end: number;
}

/**
 * Where one step's buffers sit in the memory, as byte offsets of whole regions that each hold the
 * full flat layout (so index i means the same parameter in every region). `g1` may equal `g0`
 * with `w1` = 0 when there is one shard.
 */
export interface AdamRegions {
  g0: number;
  g1: number;
  w0: number;
  w1: number;
  m: number;
  v: number;
  theta: number;
}

/**
 * Adam (the update of tf.train.adam and FlatAdam, Kingma & Ba alg. 1) on a shared
 * WebAssembly.Memory, with the average of two gradient shards fused in:
 *   g = w0·g0 + w1·g1,  m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,
 *   θ ← θ − lr·m̂ / (√v̂ + ε) = θ − (lr·√c2 / c1) · m / (√v + ε·√c2),   c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ.
 * The SIMD kernel takes runs of 4; the last 0–3 floats of a run are done here in f32.
 * Its ranges are fixed by the first call: one HostAdam per network.
 */
export class HostAdam {
  private ranges: FlatRange[] | null = null;
  private step = 0;

  constructor(
    private readonly settings: FlatAdamSettings & { epsilon: number },
    private readonly kernel: AdamSimd,
    /** A float view of the whole memory the kernel works on. */
    private readonly heap: Float32Array,
  ) {}

  update(at: AdamRegions, ranges: FlatRange[]): void {
    this.checkRanges(ranges);
    const { beta1: b1, beta2: b2, learningRate: lr } = this.settings;
    this.step++;
    const c1 = 1 - b1 ** this.step;
    const c2 = 1 - b2 ** this.step;
    const s = Math.fround((lr * Math.sqrt(c2)) / c1);
    const e = Math.fround(this.settings.epsilon * Math.sqrt(c2));
    for (const { start, end } of ranges) {
      const n4 = (end - start) & ~3;
      const byte = start * 4;
      this.kernel.adam(at.g0 + byte, at.g1 + byte, at.m + byte, at.v + byte, at.theta + byte, n4, at.w0, at.w1, b1, b2, s, e);
      for (let i = start + n4; i < end; i++) this.scalarStep(at, i, s, e);
    }
  }

  /** The kernel's arithmetic for one float, rounded to f32 after every operation as the lanes are. */
  private scalarStep(at: AdamRegions, i: number, s: number, e: number): void {
    const f = Math.fround;
    const h = this.heap;
    const { beta1: b1, beta2: b2 } = this.settings;
    const [g0, g1, m, v, theta] = [at.g0, at.g1, at.m, at.v, at.theta].map((b) => b / 4 + i);
    const g = f(f(h[g0] * f(at.w0)) + f(h[g1] * f(at.w1)));
    h[m] = f(f(h[m] * f(b1)) + f(g * f(1 - b1)));
    h[v] = f(f(h[v] * f(b2)) + f(f(g * g) * f(1 - b2)));
    h[theta] = f(h[theta] - f(f(h[m] * s) / f(f(Math.sqrt(h[v])) + e)));
  }

  private checkRanges(ranges: FlatRange[]): void {
    if (this.ranges === null) {
      this.ranges = ranges.map((r) => ({ ...r }));
      return;
    }
    const same = ranges.length === this.ranges.length && ranges.every((r, i) => r.start === this.ranges![i].start && r.end === this.ranges![i].end);
    if (!same) throw new Error('HostAdam got gradients for a different set of parameters than on its first step; use one HostAdam per network.');
  }
}
