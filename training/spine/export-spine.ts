import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { WeightPrecision } from '../../model/ops/serialize';
import type { TinyConfig } from '../../model/tiny/config';
import { exportRandomModel } from '../export/random-export';

/**
 * Exports the spine's tiny model (random, seeded weights) as real graph models, so the whole path
 * training code → graph-model → worker → pixels can be tested before the real model exists.
 */
export async function exportSpine(outDir: string, name: string, seed = 7, precision: WeightPrecision = 'float32'): Promise<void> {
  await tf.setBackend('cpu');
  const cfg: Omit<TinyConfig, 'vocabSize' | 'maxTokens'> = { embedDim: 32, zDim: 16, channels: 32 };
  await exportRandomModel<TinyConfig>('tiny', cfg, outDir, precision, seed, name);
}
