import * as tf from '@tensorflow/tfjs-core';
import { initTrainingEngine } from './init';
import { standInConfig } from './standin/config';
import { generatorSpecs } from './standin/generator';
import { discriminatorSpecs } from './standin/discriminator';
import { flopsPerIteration } from './standin/cost';
import { initialParam } from './standin/layers';
import { computeGradients, setup } from './standin/gan-step';
const res = Number(process.argv[2] ?? 64);
await initTrainingEngine({ backend: (process.argv[3] as 'wasm') ?? 'wasm' });
const cfg = standInConfig({ resolution: res });
setup(cfg);
const count = (s: { shape: number[] }[]) => s.reduce((a, x) => a + x.shape.reduce((p, q) => p * q, 1), 0);
console.log('G params', count(generatorSpecs(cfg)), 'D params', count(discriminatorSpecs(cfg)), 'GFLOP/iter', flopsPerIteration(cfg, 14) / 1e9);
const params: Record<string, tf.Tensor> = {};
for (const s of [...generatorSpecs(cfg), ...discriminatorSpecs(cfg)]) params[s.name] = initialParam(s, 1);
const B = 14;
const batch = { template: tf.randomUniform([B, res, res, 3], -1, 1), real: tf.randomUniform([B, res, res, 3], -1, 1), words: tf.randomUniform([B, 12], 0, 4000, 'int32'), noise: tf.randomNormal([B, 64]) };
for (const phase of ['D', 'G', 'D', 'G', 'D+R1']) {
  const t0 = performance.now();
  const r = tf.tidy(() => { const x = computeGradients(params, batch, phase); return x.grads; });
  Object.values(r).forEach((t) => t.dataSync());
  console.log(phase, (performance.now() - t0).toFixed(0), 'ms', Object.keys(r).length, 'grads', tf.memory().numTensors);
  tf.dispose(r);
}
