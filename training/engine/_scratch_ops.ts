import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
function time(name: string, f: () => tf.Tensor, reps = 5) {
  f().dispose();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); const y = tf.tidy(f); y.dataSync(); ts.push(performance.now() - t0); y.dispose(); }
  ts.sort((a, b) => a - b); console.log(name, ts[Math.floor(reps / 2)].toFixed(2), 'ms');
}
const x = tf.randomNormal([14, 32, 32, 64]) as tf.Tensor4D; // 917k floats
time('copy-add0', () => tf.add(x, 0));
time('transpose 3120', () => tf.transpose(x, [3, 1, 2, 0]));
time('transpose 0213', () => tf.transpose(x, [0, 2, 1, 3]));
time('pad', () => tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]));
time('slice', () => tf.slice(x, [0, 1, 1, 0], [14, 30, 30, 64]));
time('stridedSlice s2', () => tf.stridedSlice(x, [0, 0, 0, 0], [14, 32, 32, 64], [1, 2, 2, 1]));
const q = tf.randomNormal([14, 16, 16, 64]) as tf.Tensor4D;
time('concat4', () => tf.concat([q, q, q, q], 3));
time('depthToSpace', () => tf.depthToSpace(tf.concat([q, q, q, q], 3), 2));
const a = tf.randomNormal([14336, 576]); const b = tf.randomNormal([14336, 64]);
time('matMul tA [576x14336]x[14336x64]', () => tf.matMul(a, b, true, false));
const at = tf.transpose(a);
time('matMul plain [576x14336]x[14336x64]', () => tf.matMul(at, b));
time('transpose a', () => tf.transpose(a));
const c = tf.randomNormal([14336, 576]); const w = tf.randomNormal([576, 64]);
time('matMul [14336x576]x[576x64]', () => tf.matMul(c, w));
time('matMul tB [14336x576]x[64x576]^T', () => tf.matMul(c, tf.transpose(w), false, true));
time('leakyRelu', () => tf.leakyRelu(x, 0.2));
time('mul', () => tf.mul(x, x));
time('where', () => tf.where(tf.greater(x, 0), x, tf.mul(x, 0.2)));
time('sum axes 012', () => tf.sum(x, [0, 1, 2]));
time('mean keep 12', () => tf.mean(x, [1, 2], true));
time('add broadcast [1,1,1,64]', () => tf.add(x, tf.ones([64])));
