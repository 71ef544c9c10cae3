/** The training engine's public API; see training/engine/README.md. */
export { initTrainingEngine, createGradientRunner, type TrainingEngineOptions, type GradientRunnerOptions } from './init';
export {
  selectTrainingBackend,
  backendFromArgs,
  TrainingBackendUnavailableError,
  TRAINING_BACKENDS,
  OPT_IN_BACKENDS,
  type TrainingBackendName,
  type BackendChoice,
} from './backend';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './kernels/register';
export { DataParallelTrainer, type DataParallelOptions } from './parallel/data-parallel-trainer';
export { ReplicatedTrainer, type ReplicatedTrainerOptions } from './parallel/replicated-trainer';
export { GradientWorkerError } from './parallel/worker-thread';
export { LocalGradientRunner } from './parallel/local-runner';
export type { GradientContext, GradientModule, GradientResult, GradientRunner, AveragedGradients, TensorMap, TrainStep } from './parallel/protocol';
export { UPDATES_APPLIED } from './parallel/protocol';
export { profileKernels, type KernelTime } from './kernel-profile';
export { FlatAdam, type FlatAdamSettings } from './optim/flat-adam';
