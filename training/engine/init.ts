import { selectTrainingBackend, type BackendChoice, type TrainingBackendName } from './backend';
import { DataParallelTrainer } from './parallel/data-parallel-trainer';
import { LocalGradientRunner } from './parallel/local-runner';
import type { GradientRunner } from './parallel/protocol';

export interface TrainingEngineOptions {
  /** Force a backend (e.g. from `--backend`); otherwise tensorflow → wasm → cpu. */
  backend?: TrainingBackendName;
  log?: (line: string) => void;
}

/** Selects and activates the training backend (printing the choice) and registers the kernels. */
export async function initTrainingEngine(options: TrainingEngineOptions = {}): Promise<BackendChoice> {
  return selectTrainingBackend({ override: options.backend, log: options.log });
}

export interface GradientRunnerOptions {
  /** Module exporting computeGradients(params, batch, phase) (and optionally setup(options)). */
  modulePath: string;
  moduleOptions?: unknown;
  /**
   * 1: in this thread on the active backend. ≥ 2: a DataParallelTrainer with that many wasm
   * workers. Default: 2 on the wasm backend (its Node build is single-threaded), else 1
   * (tfjs-node already uses every core).
   */
  workers?: number;
  backend: BackendChoice;
}

export async function createGradientRunner(options: GradientRunnerOptions): Promise<GradientRunner> {
  const workers = options.workers ?? (options.backend.name === 'wasm' ? 2 : 1);
  if (workers <= 1) return LocalGradientRunner.create(options.modulePath, options.moduleOptions);
  return DataParallelTrainer.create({ modulePath: options.modulePath, moduleOptions: options.moduleOptions, workers });
}
