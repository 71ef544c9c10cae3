import * as tf from '@tensorflow/tfjs-core';
import { initTrainingEngine, createGradientRunner } from './init';
import { standInConfig } from './standin/config';
import { createGanTrainingState, syntheticGanBatch, ganIteration } from './standin/iteration';
const workers = Number(process.argv[2] ?? 2);
const backend = await initTrainingEngine({ backend: 'wasm' });
const cfg = standInConfig({ resolution: 64 });
const runner = await createGradientRunner({ modulePath: new URL('./standin/gan-step.ts', import.meta.url).href, moduleOptions: cfg, workers, backend });
const s = createGanTrainingState(cfg);
const batch = syntheticGanBatch(cfg, 14);
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const l = await ganIteration(runner, s, batch);
  console.log(i, (performance.now() - t0).toFixed(0), 'ms', JSON.stringify(l), tf.memory().numTensors);
}
await runner.dispose();
