import * as tf from '@tensorflow/tfjs-core';
import { loadGradientModule, setUpGradientModule } from './load-module';
import { UPDATES_APPLIED, type AveragedGradients, type GradientContext, type GradientModule, type GradientRunner, type GradientResult, type TensorMap } from './protocol';

/** Runs a gradient module in this thread, on the current backend: the one-core GradientRunner. */
export class LocalGradientRunner implements GradientRunner {
  readonly workers = 1;
  private constructor(private readonly mod: GradientModule) {}

  static async create(modulePath: string, moduleOptions?: unknown): Promise<LocalGradientRunner> {
    return new LocalGradientRunner(await loadGradientModule(modulePath, moduleOptions));
  }

  /** From a module already imported (a bundled script cannot import a module by path at run time). */
  static async fromModule(mod: Partial<GradientModule>, name: string, moduleOptions?: unknown): Promise<LocalGradientRunner> {
    return new LocalGradientRunner(await setUpGradientModule(mod, name, moduleOptions));
  }

  async computeGradients(params: TensorMap, batch: TensorMap, phase: string): Promise<AveragedGradients> {
    // Losses are read asynchronously: GPU backends (webgpu) cannot read synchronously in Node.
    const { grads, losses } = gradientStepTensors(this.mod, params, batch, phase, UPDATES_APPLIED);
    const values: Record<string, number> = {};
    for (const [name, value] of Object.entries(losses)) {
      values[name] = typeof value === 'number' ? value : (await value.data())[0];
      if (typeof value !== 'number') value.dispose();
    }
    return { grads, losses: values };
  }

  async dispose(): Promise<void> {}
}

/** One computeGradients call with every intermediate freed; the caller owns the result's tensors. */
function gradientStepTensors(mod: GradientModule, params: TensorMap, batch: TensorMap, phase: string, context: GradientContext): GradientResult {
  return tf.tidy(() => {
    const r = mod.computeGradients(params, batch, phase, context);
    return { grads: r.grads, losses: r.losses } as unknown as tf.TensorContainer;
  }) as unknown as GradientResult;
}

/** One computeGradients call with every intermediate freed and losses read out as numbers (synchronously: CPU backends). */
export function runGradientStep(mod: GradientModule, params: TensorMap, batch: TensorMap, phase: string, context: GradientContext = UPDATES_APPLIED): AveragedGradients {
  const result = gradientStepTensors(mod, params, batch, phase, context);
  const losses: Record<string, number> = {};
  for (const [name, value] of Object.entries(result.losses)) {
    losses[name] = typeof value === 'number' ? value : value.dataSync()[0];
    if (typeof value !== 'number') value.dispose();
  }
  return { grads: result.grads, losses };
}
