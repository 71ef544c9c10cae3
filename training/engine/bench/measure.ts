import * as tf from '@tensorflow/tfjs-core';
import { initTrainingEngine } from '../init';
import { LocalGradientRunner } from '../parallel/local-runner';
import { DataParallelTrainer } from '../parallel/data-parallel-trainer';
import { ReplicatedTrainer } from '../parallel/replicated-trainer';
import type { ReplicaStepTimings } from '../parallel/protocol';
import { standInConfig, type StandInConfig } from '../standin/config';
import { flopsPerIteration } from '../standin/cost';
import { createGanTrainingState, ganIteration, replicatedGanIteration, STANDIN_ADAM, syntheticGanBatch } from '../standin/iteration';
import * as ganStep from '../standin/gan-step';
import { FlatAdam } from '../optim/flat-adam';
import type { TrainingBackendName } from '../backend';

/**
 * The set-ups the benchmark compares. 'wasm2' keeps parameters and Adam in the two workers
 * (ReplicatedTrainer); 'wasm2-grads' sends gradients back to this thread, which averages them
 * and runs Adam (DataParallelTrainer, for callers that own their optimizer). 'pair' is not a way to train: it runs the one-core set-up
 * in two processes at once, which bounds what any split of one training run over two cores can
 * get from this machine (shared caches, memory bandwidth, other tenants).
 */
export type BenchMode = 'cpu' | 'wasm' | 'wasm2' | 'wasm2-grads' | 'pair' | 'webgpu';
/** The default set; 'webgpu' (tfjs-backend-webgpu through Dawn, opt-in) runs only when named. */
export const BENCH_MODES: readonly BenchMode[] = ['cpu', 'wasm', 'wasm2', 'wasm2-grads', 'pair'];
export const OPT_IN_BENCH_MODES: readonly BenchMode[] = ['webgpu'];

/** The training backend each set-up runs on. */
export function backendOfMode(mode: BenchMode): TrainingBackendName {
  return mode === 'cpu' ? 'cpu' : mode === 'webgpu' ? 'webgpu' : 'wasm';
}

export interface BenchJob {
  mode: BenchMode;
  resolution: number;
  batch: number;
  /** Timed iterations, after `warmup` untimed ones. */
  iterations: number;
  warmup: number;
  /** Stand-in overrides (`--config`); the stand-in only. */
  config: Partial<StandInConfig>;
  /** What is trained: 'standin', or the name of a subject module the CLI registered. */
  model: string;
  /** URL of the module exporting createBenchSubject(job), for any model but 'standin'. */
  subjectModule?: string;
}

/** One thing to benchmark: a training iteration and what it costs. */
export interface BenchSubject {
  description: string;
  /** What one iteration is, for the report. */
  iterationLabel: string;
  params: number;
  flopsPerIteration: number;
  iteration(): Promise<void>;
  /** Two-core subjects: where the last iteration went in the workers (mean over workers, ms). */
  lastWorkerTimings?(): WorkerIterationMs;
  dispose(): Promise<void>;
}

/** One iteration in a ReplicatedTrainer's workers: each phase summed over the iteration's steps, averaged over the workers. */
export interface WorkerIterationMs {
  gradients: number;
  barrier: number;
  update: number;
}

export interface BenchResult {
  job: BenchJob;
  description: string;
  iterationLabel: string;
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
  /** Two-core subjects: each timed iteration's worker timings. */
  workerMs?: WorkerIterationMs[];
}

const GAN_MODULE = new URL('../standin/gan-step.ts', import.meta.url).href;

/** Runs one job in this process. Call it in a fresh process: peak RSS is per process. */
export async function measure(job: BenchJob): Promise<BenchResult> {
  const backend = await initTrainingEngine({ backend: backendOfMode(job.mode), log: () => {} });
  const subject = await benchSubject(job);
  const iterationMs: number[] = [];
  const iterationCpuMs: number[] = [];
  const workerMs: WorkerIterationMs[] = [];
  for (let i = 0; i < job.warmup + job.iterations; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await subject.iteration();
    const ms = performance.now() - t0;
    // Progress on stderr: a stock-cpu iteration takes many minutes.
    process.stderr.write(`    ${job.mode} ${job.resolution} px iteration ${i + 1}/${job.warmup + job.iterations}: ${ms.toFixed(0)} ms${i < job.warmup ? ' (warm-up)' : ''}\n`);
    if (i < job.warmup) continue;
    iterationMs.push(ms);
    if (subject.lastWorkerTimings) workerMs.push(subject.lastWorkerTimings());
    const cpu = process.cpuUsage(cpu0);
    iterationCpuMs.push((cpu.user + cpu.system) / 1000);
  }
  await subject.dispose();
  const medianMs = median(iterationMs);
  return {
    job,
    description: subject.description,
    iterationLabel: subject.iterationLabel,
    backend: backend.description,
    iterationMs,
    medianMs,
    iterationCpuMs,
    medianCpuMs: median(iterationCpuMs),
    flopsPerIteration: subject.flopsPerIteration,
    gflops: subject.flopsPerIteration / medianMs / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    params: subject.params,
    ...(workerMs.length > 0 ? { workerMs } : {}),
  };
}

/** The stand-in GAN: one D step then one G step, each a gradient call and an Adam update. */
export async function standInSubject(job: BenchJob): Promise<BenchSubject> {
  const config = standInConfig({ ...job.config, resolution: job.resolution });
  const state = job.mode === 'webgpu' ? createGanTrainingState(config, 1, () => new FlatAdam(STANDIN_ADAM)) : createGanTrainingState(config);
  const batch = syntheticGanBatch(config, job.batch);
  const common = {
    description: 'stand-in GAN',
    iterationLabel: 'one D step + one G step, Adam',
    params: Object.values(state.params).reduce((a, p) => a + p.size, 0),
    flopsPerIteration: flopsPerIteration(config, job.batch),
  };
  if (job.mode === 'wasm2') {
    // Two cores: parameters and Adam live in the workers (ReplicatedTrainer), so nothing but the
    // batch split runs serially here between steps.
    const trainer = await ReplicatedTrainer.create({ modulePath: GAN_MODULE, moduleOptions: config, workers: 2, params: state.params, optimizers: { d: STANDIN_ADAM, g: STANDIN_ADAM } });
    return {
      ...common,
      iteration: async () => void (await replicatedGanIteration(trainer, batch)),
      lastWorkerTimings: () => meanWorkerTimings(trainer.workerTimings),
      dispose: () => trainer.dispose(),
    };
  }
  const runner =
    job.mode === 'wasm2-grads'
      ? await DataParallelTrainer.create({ modulePath: GAN_MODULE, moduleOptions: config, workers: 2 })
      : await LocalGradientRunner.fromModule(ganStep, GAN_MODULE, config);
  return { ...common, iteration: async () => void (await ganIteration(runner, state, batch)), dispose: () => runner.dispose() };
}

function meanWorkerTimings(perWorker: ReplicaStepTimings[][]): WorkerIterationMs {
  const sum = (pick: (t: ReplicaStepTimings) => number) => perWorker.reduce((a, steps) => a + steps.reduce((b, t) => b + pick(t), 0), 0) / perWorker.length;
  return { gradients: sum((t) => t.gradients), barrier: sum((t) => t.barrier), update: sum((t) => t.update) };
}

/** The job's subject: the stand-in, or the registered module's (`job.subjectModule`). */
export async function benchSubject(job: BenchJob): Promise<BenchSubject> {
  return job.model === 'standin' ? standInSubject(job) : loadSubject(job);
}

async function loadSubject(job: BenchJob): Promise<BenchSubject> {
  if (!job.subjectModule) throw new Error(`bench:train knows no model "${job.model}"; use --model standin or one the CLI registers.`);
  const mod = (await import(job.subjectModule)) as { createBenchSubject(job: BenchJob): Promise<BenchSubject> };
  return mod.createBenchSubject(job);
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
    ...(runs.every((r) => r.workerMs) ? { workerMs: runs.flatMap((r) => r.workerMs ?? []) } : {}),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Keeps tfjs quiet about the cpu backend's speed: the benchmark says it itself. PROD, not IS_TEST:
 * IS_TEST also turns on tfjs' per-kernel leak check, which fails on a tensor an op saves for its
 * own gradient (softmaxCrossEntropy's log-softmax, once the config has a class head) and is slower.
 */
export function silenceTfjsWarnings(): void {
  tf.env().set('PROD', true);
}

/**
 * Two one-core runs that ran at the same time, as one 'pair' result: two iterations finish per
 * iteration time, so its ms/iter is the pooled iteration times halved (the throughput of both
 * cores), and vs 1 core it reads as the two cores' ceiling.
 */
export function pairResult(a: BenchResult, b: BenchResult): BenchResult {
  const both = mergeRuns([a, b]);
  const iterationMs = both.iterationMs.map((ms) => ms / 2);
  const medianMs = median(iterationMs);
  return { ...both, job: { ...a.job, mode: 'pair' }, iterationMs, medianMs, gflops: a.flopsPerIteration / medianMs / 1e6 };
}
