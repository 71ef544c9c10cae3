import * as tf from '@tensorflow/tfjs-core';
import { initTrainingEngine } from '../init';
import { DataParallelTrainer } from '../parallel/data-parallel-trainer';
import { LocalGradientRunner } from '../parallel/local-runner';
import type { GradientRunner } from '../parallel/protocol';
import { standInConfig, type StandInConfig } from '../standin/config';
import { flopsPerIteration } from '../standin/cost';
import { createGanTrainingState, ganIteration, syntheticGanBatch } from '../standin/iteration';

/** The three set-ups the benchmark compares. */
export type BenchMode = 'cpu' | 'wasm' | 'wasm2';
export const BENCH_MODES: readonly BenchMode[] = ['cpu', 'wasm', 'wasm2'];

export interface BenchJob {
  mode: BenchMode;
  resolution: number;
  batch: number;
  /** Timed iterations, after `warmup` untimed ones. */
  iterations: number;
  warmup: number;
  config: Partial<StandInConfig>;
}

export interface BenchResult {
  job: BenchJob;
  backend: string;
  iterationMs: number[];
  medianMs: number;
  /** Process CPU time (all threads) per timed iteration: less sensitive to other load than wall time. */
  iterationCpuMs: number[];
  medianCpuMs: number;
  flopsPerIteration: number;
  gflops: number;
  peakRssMb: number;
  params: number;
}

const GAN_MODULE = new URL('../standin/gan-step.ts', import.meta.url).href;

/** Runs one job in this process. Call it in a fresh process: peak RSS is per process. */
export async function measure(job: BenchJob): Promise<BenchResult> {
  const backend = await initTrainingEngine({ backend: job.mode === 'cpu' ? 'cpu' : 'wasm', log: () => {} });
  const config = standInConfig({ ...job.config, resolution: job.resolution });
  const runner = await createRunner(job.mode, config);
  const state = createGanTrainingState(config);
  const batch = syntheticGanBatch(config, job.batch);
  const iterationMs: number[] = [];
  const iterationCpuMs: number[] = [];
  for (let i = 0; i < job.warmup + job.iterations; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await ganIteration(runner, state, batch);
    const ms = performance.now() - t0;
    // Progress on stderr: a stock-cpu iteration takes many minutes.
    process.stderr.write(`    ${job.mode} ${job.resolution} px iteration ${i + 1}/${job.warmup + job.iterations}: ${ms.toFixed(0)} ms${i < job.warmup ? ' (warm-up)' : ''}\n`);
    if (i < job.warmup) continue;
    iterationMs.push(ms);
    const cpu = process.cpuUsage(cpu0);
    iterationCpuMs.push((cpu.user + cpu.system) / 1000);
  }
  await runner.dispose();
  const medianMs = median(iterationMs);
  const flops = flopsPerIteration(config, job.batch);
  return {
    job,
    backend: backend.name,
    iterationMs,
    medianMs,
    iterationCpuMs,
    medianCpuMs: median(iterationCpuMs),
    flopsPerIteration: flops,
    gflops: flops / medianMs / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    params: Object.values(state.params).reduce((a, p) => a + p.size, 0),
  };
}

async function createRunner(mode: BenchMode, config: StandInConfig): Promise<GradientRunner> {
  if (mode === 'wasm2') return DataParallelTrainer.create({ modulePath: GAN_MODULE, moduleOptions: config, workers: 2 });
  return LocalGradientRunner.create(GAN_MODULE, config);
}

/** One result from several runs of the same job: iterations pooled, medians over all of them. */
export function mergeRuns(runs: BenchResult[]): BenchResult {
  if (runs.length === 1) return runs[0];
  const iterationMs = runs.flatMap((r) => r.iterationMs);
  const iterationCpuMs = runs.flatMap((r) => r.iterationCpuMs);
  const medianMs = median(iterationMs);
  return {
    ...runs[0],
    iterationMs,
    medianMs,
    iterationCpuMs,
    medianCpuMs: median(iterationCpuMs),
    gflops: runs[0].flopsPerIteration / medianMs / 1e6,
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Keeps tfjs quiet about the cpu backend's speed: the benchmark says it itself. */
export function silenceTfjsWarnings(): void {
  tf.env().set('IS_TEST', true);
}
