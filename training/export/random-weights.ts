import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from '../../model/architecture';
import { runArchitecture } from '../../model/architecture';
import { eagerOps, VariableStore } from '../../model/ops/eager';
import type { WeightMap } from './record';

/**
 * Zero tensors (batch 1) for every placeholder of every graph of `arch`. Those that an earlier
 * graph produces are overwritten by it when the architecture runs.
 */
export function zeroInputs<C>(arch: Architecture<C>, cfg: C): Map<string, tf.Tensor> {
  const pool = new Map<string, tf.Tensor>();
  for (const spec of [arch.textEncoder, ...arch.stages]) {
    for (const input of spec.inputs(cfg)) {
      if (pool.has(input.name)) continue;
      const shape = input.shape.map((d) => (d < 0 ? 1 : d));
      pool.set(input.name, input.dtype === 'int32' ? tf.zeros(shape, 'int32') : tf.zeros(shape));
    }
  }
  return pool;
}

/** Deterministic initial weights of `arch` (what training starts from), by one eager pass. */
export async function initialWeights<C>(arch: Architecture<C>, cfg: C, seed: number): Promise<WeightMap> {
  const store = new VariableStore(seed);
  tf.tidy(() => {
    const pool = zeroInputs(arch, cfg);
    runArchitecture(arch, eagerOps, store, cfg, pool);
  });
  const weights = await store.snapshot();
  store.dispose();
  return weights;
}
