import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from '../../model/architecture';
import { runArchitecture } from '../../model/architecture';
import { eagerOps, VariableStore } from '../../model/ops/eager';
import { feedTensors } from '../../model/runtime/pipeline';
import type { FeedArrays } from '../../model/runtime/feeds';
import type { WeightMap } from './record';

/**
 * The training-side forward pass: the shared model code run eagerly with given weights.
 * Parity tests compare exported graphs against this.
 */
export async function eagerForward<C>(arch: Architecture<C>, cfg: C, weights: WeightMap, feeds: FeedArrays): Promise<Map<string, { data: Float32Array; shape: number[] }>> {
  const store = new VariableStore(0, false);
  store.load(weights);
  const pool = feedTensors(feeds);
  const inputs = new Set(pool.keys());
  try {
    tf.tidy(() => {
      runArchitecture(arch, eagerOps, store, cfg, pool);
      for (const t of pool.values()) tf.keep(t);
    });
    const out = new Map<string, { data: Float32Array; shape: number[] }>();
    for (const [name, t] of pool) if (!inputs.has(name)) out.set(name, { data: (await t.data()) as Float32Array, shape: t.shape.slice() });
    return out;
  } finally {
    for (const t of pool.values()) t.dispose();
    store.dispose();
  }
}
