import { describe, expect, it } from 'vitest';
import { mergeRuns, pairResult, type BenchMode, type BenchResult } from '../../../training/engine/bench/measure';
import { formatReport } from '../../../training/engine/bench/report';

function result(mode: BenchMode, iterationMs: number[]): BenchResult {
  const sorted = [...iterationMs].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)];
  return {
    job: { mode, resolution: 64, batch: 14, iterations: iterationMs.length, warmup: 1, config: {}, model: 'standin' },
    description: 'stand-in GAN',
    iterationLabel: 'one D step + one G step, Adam',
    backend: 'wasm',
    iterationMs,
    medianMs,
    iterationCpuMs: iterationMs,
    medianCpuMs: medianMs,
    flopsPerIteration: 30e9,
    gflops: 30e9 / medianMs / 1e6,
    peakRssMb: 500,
    params: 3.75e6,
  };
}

describe('bench:train report', () => {
  it('counts two concurrent one-core runs as two iterations per iteration time', () => {
    const pair = pairResult(result('wasm', [2400, 2600, 2500]), result('wasm', [2800, 2200, 2500]));
    expect(pair.job.mode).toBe('pair');
    expect(pair.medianMs).toBe(1250);
    expect(pair.gflops).toBeCloseTo(24, 6);
  });

  it('prints a webgpu row against one core, with the adapter it ran on', () => {
    const gpu = { ...result('webgpu', [150, 160, 170]), backend: 'webgpu on nvidia H200' };
    const text = formatReport([result('wasm', [2000, 2200, 2100]), gpu]);
    expect(text).toMatch(/webgpu \(Dawn\), 1 GPU +160 +187\.50 .* 13\.13×/);
    expect(text).toMatch(/webgpu \(Dawn\), 1 GPU: webgpu on nvidia H200/);
  });

  it('prints each two-core set-up against one core, round by round', () => {
    const one = [result('wasm', [2000]), result('wasm', [2200])];
    const two = [result('wasm2', [1600]), result('wasm2', [1400])];
    const pair = [pairResult(result('wasm', [2400]), result('wasm', [2400])), pairResult(result('wasm', [2200]), result('wasm', [2200]))];
    const rounds = [0, 1].map((i) => [one[i], two[i], pair[i]]);
    const text = formatReport([result('wasm', [2000, 2200]), result('wasm2', [1600, 1400]), pairResult(result('wasm', [2400, 2200]), result('wasm', [2400, 2200]))], rounds);
    expect(text).toMatch(/wasm \+ kernels, 2 cores vs 1 core, round by round \(medians of each pair of runs\): 1\.25×, 1\.57×/);
    expect(text).toMatch(/2 × 1 core at once\* vs 1 core, round by round \(medians of each pair of runs\): 1\.67×, 2\.00×/);
    expect(text).toMatch(/upper bound for splitting one run over both cores/);
  });

  it("prints where a two-core iteration went in the workers, pooled over rounds", () => {
    const run = (ms: number[], barrier: number[]) => ({
      ...result('wasm2', ms),
      workerMs: barrier.map((b) => ({ gradients: 900, barrier: b, update: 10 })),
    });
    const pooled = mergeRuns([run([1000, 1020], [40, 60]), run([1100], [150])]);
    expect(pooled.workerMs).toHaveLength(3);
    const text = formatReport([result('wasm', [1700]), pooled]);
    // barrier medians of 40, 60, 150; the rest: 1000 − 950, 1020 − 970, 1100 − 1060
    expect(text).toMatch(/2 cores, each worker per iteration \(medians\): gradients 900 ms, waiting at the barrier 60 ms, shard average \+ Adam \+ new parameters 10 ms; the rest \(batch split, messages\) 50 ms/);
  });
});
