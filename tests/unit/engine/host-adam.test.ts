import { describe, expect, it } from 'vitest';
import { createSharedMemory, instantiateAdamSimd } from '../../../training/engine/optim/adam-simd';
import { HostAdam, type FlatRange } from '../../../training/engine/optim/host-adam';
import { randomValues, relativeError } from './helpers';

const SIZE = 103; // floats per region: odd, so regions and ranges are not all 16-byte aligned
const SETTINGS = { learningRate: 1e-2, beta1: 0.5, beta2: 0.99, epsilon: 1e-7 };

/** Adam with a two-shard average, as plain float64 JS: the definition the kernel must match. */
function reference(theta: Float64Array, g0: Float32Array, g1: Float32Array, w: [number, number], ranges: FlatRange[], steps: number): Float64Array {
  const { learningRate: lr, beta1: b1, beta2: b2, epsilon } = SETTINGS;
  const m = new Float64Array(SIZE);
  const v = new Float64Array(SIZE);
  for (let t = 1; t <= steps; t++) {
    for (const { start, end } of ranges) {
      for (let i = start; i < end; i++) {
        const g = w[0] * g0[i] + w[1] * g1[i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        theta[i] -= (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + epsilon);
      }
    }
  }
  return theta;
}

describe('HostAdam (the WebAssembly SIMD Adam)', () => {
  it('averages two shards and takes Adam steps as the definition does, on unaligned ranges with tails', () => {
    const { memory, pages } = createSharedMemory(5 * SIZE * 4);
    const heap = new Float32Array(memory.buffer);
    const at = { g0: 0, g1: 4 * SIZE, w0: 0.6, w1: 0.4, m: 8 * SIZE, v: 12 * SIZE, theta: 16 * SIZE };
    const g0 = Float32Array.from(randomValues(SIZE, 1));
    const g1 = Float32Array.from(randomValues(SIZE, 2));
    const theta0 = Float32Array.from(randomValues(SIZE, 3));
    heap.set(g0, at.g0 / 4);
    heap.set(g1, at.g1 / 4);
    heap.set(theta0, at.theta / 4);
    // Two runs: one starting mid-vector with a 3-float tail, one of 2 floats (tail only); the gap stays untouched.
    const ranges = [{ start: 1, end: 60 }, { start: 70, end: 72 }];
    const adam = new HostAdam(SETTINGS, instantiateAdamSimd(memory, pages), heap);
    for (let s = 0; s < 4; s++) adam.update(at, ranges);
    const expected = reference(Float64Array.from(theta0), g0, g1, [0.6, 0.4], ranges, 4);
    const got = heap.subarray(at.theta / 4, at.theta / 4 + SIZE);
    expect(relativeError(got, Float32Array.from(expected))).toBeLessThan(1e-5);
    expect(got[0]).toBe(theta0[0]);
    expect(Array.from(got.subarray(60, 70))).toEqual(Array.from(theta0.subarray(60, 70)));
    expect(got[1]).not.toBe(theta0[1]);
  });

  it('refuses a different parameter set on a later step', () => {
    const { memory, pages } = createSharedMemory(5 * SIZE * 4);
    const heap = new Float32Array(memory.buffer);
    const at = { g0: 0, g1: 0, w0: 1, w1: 0, m: 8 * SIZE, v: 12 * SIZE, theta: 16 * SIZE };
    const adam = new HostAdam(SETTINGS, instantiateAdamSimd(memory, pages), heap);
    adam.update(at, [{ start: 0, end: 8 }]);
    expect(() => adam.update(at, [{ start: 0, end: 9 }])).toThrow(/one HostAdam per network/);
  });
});
