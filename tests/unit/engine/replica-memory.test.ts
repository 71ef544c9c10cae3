import { describe, expect, it } from 'vitest';
import { replicaMemoryLayout } from '../../../training/engine/parallel/replica-memory';

describe('replicaMemoryLayout', () => {
  it.each([1, 2, 3])('gives %i workers disjoint, 16-byte aligned regions, two gradient buffers each', (workers) => {
    const totalSize = 1001; // not a multiple of 4: regions round up
    const m = replicaMemoryLayout(totalSize, workers);
    const starts = [m.params, ...m.grads.flat(), ...m.theta, ...m.m, ...m.v, ...(m.scratch ?? [])];
    expect(m.grads).toHaveLength(workers);
    expect(m.grads.every((b) => b.length === 2)).toBe(true);
    expect(m.scratch === null).toBe(workers <= 2);
    expect(new Set(starts).size).toBe(starts.length);
    const sorted = [...starts].sort((a, b) => a - b);
    sorted.forEach((s, i) => {
      expect(s % 16).toBe(0);
      const end = i + 1 < sorted.length ? sorted[i + 1] : m.bytes;
      expect(end - s).toBeGreaterThanOrEqual(totalSize * 4);
    });
  });
});
