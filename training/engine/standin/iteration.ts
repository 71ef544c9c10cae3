import * as tf from '@tensorflow/tfjs-core';
import type { GradientRunner, TensorMap } from '../parallel/protocol';
import type { StandInConfig } from './config';
import { discriminatorSpecs } from './discriminator';
import { generatorSpecs } from './generator';
import { initialParam } from './layers';
import type { FlatAdamSettings } from '../optim/flat-adam';
import { SimdAdam } from '../optim/simd-adam';
import type { ReplicatedTrainer } from '../parallel/replicated-trainer';

/** β1 = 0, β2 = 0.99: the usual GAN Adam settings, for both networks. */
export const STANDIN_ADAM: FlatAdamSettings = { learningRate: 2e-4, beta1: 0, beta2: 0.99 };

/**
 * The stand-in's parameters as tf.Variables named by parameter name, plus one Adam per network:
 * SimdAdam, the kernel ReplicatedTrainer's workers run, so one-core and two-core loops differ
 * only in how the gradients are computed.
 */
export interface GanTrainingState {
  params: Record<string, tf.Variable>;
  optimizers: { d: NetworkOptimizer; g: NetworkOptimizer };
}

/** What the loop needs of an optimizer: FlatAdam and SimdAdam both are one. */
export interface NetworkOptimizer {
  applyGradients(grads: Record<string, tf.Tensor>): void;
  dispose(): void;
}

/**
 * `optimizer`: SimdAdam by default (wasm and cpu); GPU backends pass FlatAdam, whose moments stay
 * on the device (SimdAdam copies every gradient to host memory).
 */
export function createGanTrainingState(c: StandInConfig, seed = 1, optimizer: () => NetworkOptimizer = () => new SimdAdam(STANDIN_ADAM)): GanTrainingState {
  const params: Record<string, tf.Variable> = {};
  for (const spec of [...generatorSpecs(c), ...discriminatorSpecs(c)]) {
    const init = initialParam(spec, seed);
    params[spec.name] = tf.variable(init, true, spec.name);
    init.dispose();
  }
  return { params, optimizers: { d: optimizer(), g: optimizer() } };
}

export function disposeGanTrainingState(s: GanTrainingState): void {
  tf.dispose(Object.values(s.params));
  s.optimizers.d.dispose();
  s.optimizers.g.dispose();
}

/** A synthetic batch of the stand-in's inputs. */
export function syntheticGanBatch(c: StandInConfig, batch: number, seed = 7): TensorMap {
  const r = c.resolution;
  return tf.tidy(() => ({
    template: tf.randomUniform([batch, r, r, 3], -1, 1, 'float32', seed),
    real: tf.randomUniform([batch, r, r, 3], -1, 1, 'float32', seed + 1),
    words: tf.randomUniform([batch, c.wordsPerCaption], 0, c.vocabSize, 'int32', seed + 2),
    noise: tf.randomNormal([batch, c.embedDim], 0, 1, 'float32', seed + 3),
  }));
}

/** One training iteration: a D step then a G step, each one gradient call and one Adam update. */
export async function ganIteration(
  runner: GradientRunner,
  s: GanTrainingState,
  batch: TensorMap,
  dPhase: 'D' | 'D+R1' = 'D',
): Promise<Record<string, number>> {
  const d = await runner.computeGradients(s.params, batch, dPhase);
  s.optimizers.d.applyGradients(d.grads);
  tf.dispose(d.grads);
  const g = await runner.computeGradients(s.params, batch, 'G');
  s.optimizers.g.applyGradients(g.grads);
  tf.dispose(g.grads);
  return { ...d.losses, ...g.losses };
}

/** The same iteration with the parameters and Adams in a ReplicatedTrainer's workers (optimizers 'd' and 'g', both STANDIN_ADAM). */
export async function replicatedGanIteration(trainer: ReplicatedTrainer, batch: TensorMap, dPhase: 'D' | 'D+R1' = 'D'): Promise<Record<string, number>> {
  const [d, g] = await trainer.steps(batch, [
    { phase: dPhase, optimizer: 'd' },
    { phase: 'G', optimizer: 'g' },
  ]);
  return { ...d, ...g };
}
