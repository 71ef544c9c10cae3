import * as tf from '@tensorflow/tfjs-core';
import { loadGradientModule } from './load-module';
import { UPDATES_APPLIED, type AveragedGradients, type GradientContext, type GradientModule, type GradientRunner, type GradientResult, type TensorMap } from './protocol';

/** Runs a gradient module in this thread, on the current backend: the one-core GradientRunner. */
export class LocalGradientRunner implements GradientRunner {
  readonly workers = 1;
  private constructor(private readonly mod: GradientModule) {}

  static async create(modulePath: string, moduleOptions?: unknown): Promise<LocalGradientRunner> {
    return new LocalGradientRunner(await loadGradientModule(modulePath, moduleOptions));
  }

  async computeGradients(params: TensorMap, batch: TensorMap, phase: string): Promise<AveragedGradients> {
    return runGradientStep(this.mod, params, batch, phase);
  }

  async dispose(): Promise<void> {}
}

/** One computeGradients call with every intermediate freed and losses read out as numbers. */
export function runGradientStep(mod: GradientModule, params: TensorMap, batch: TensorMap, phase: string, context: GradientContext = UPDATES_APPLIED): AveragedGradients {
  const result: GradientResult = tf.tidy(() => {
    const r = mod.computeGradients(params, batch, phase, context);
    return { grads: r.grads, losses: r.losses } as unknown as tf.TensorContainer;
  }) as unknown as GradientResult;
  const losses: Record<string, number> = {};
  for (const [name, value] of Object.entries(result.losses)) {
    losses[name] = typeof value === 'number' ? value : value.dataSync()[0];
    if (typeof value !== 'number') value.dispose();
  }
  return { grads: result.grads, losses };
}
