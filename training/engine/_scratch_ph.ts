import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { spatialPhases, interleavePhases } from './kernels/phases';
await tf.setBackend('wasm');
function time(name: string, f: () => tf.Tensor, reps = 5) {
  f().dispose();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); const y = tf.tidy(f); y.dataSync(); ts.push(performance.now() - t0); y.dispose(); }
  ts.sort((a, b) => a - b); console.log(name, ts[Math.floor(reps / 2)].toFixed(2), 'ms');
}
const x = tf.randomNormal([14, 32, 32, 64]) as tf.Tensor4D;
time('phases all 4', () => tf.concat(spatialPhases(x, 2).flat(), 0));
time('phase one', () => spatialPhases(x, 2)[0][1]);
time('interleave', () => interleavePhases(spatialPhases(x, 2)));
const a = tf.randomNormal([576, 14336]); const b = tf.randomNormal([14336, 64]);
time('matMul plain', () => tf.matMul(a, b));
const x2 = tf.randomNormal([14336, 576]);
time('transpose2d', () => tf.transpose(x2));
time('transpose 3012', () => tf.transpose(x, [3, 0, 1, 2]));
