import * as tf from '@tensorflow/tfjs-core';
import { selectTrainingBackend } from './backend';
await selectTrainingBackend({ override: 'wasm', log: () => {} });
const rnd = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);
async function on(b: string, f: () => tf.Tensor) { await tf.setBackend(b); const t = tf.tidy(f); const d = Array.from(t.dataSync()); t.dispose(); return d; }
const err = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(...b.map(Math.abs));
const tests: Record<string, () => tf.Tensor> = {
  avgPoolGrad: () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(x as tf.Tensor4D, 2, 1, 'valid'), rnd([3, 4, 4, 6], 5))))(rnd([3, 5, 5, 6], 1)),
  resizeGrad: () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [8, 8]), rnd([3, 8, 8, 6], 5))))(rnd([3, 4, 4, 6], 1)),
  lreluGrad: () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(x, 0.2), rnd([3, 4, 4, 6], 5))))(rnd([3, 4, 4, 6], 1)),
  convIn: () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, rnd([4, 4, 3, 6], 2) as tf.Tensor4D, 2, 'same'), rnd([3, 5, 5, 6], 5))))(rnd([3, 9, 9, 3], 1)),
  // second-order pieces
  gradOfConvInWrtW: () => tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), rnd([3, 5, 5, 6], 5))))(rnd([3, 9, 9, 3], 1)), rnd([3, 9, 9, 3], 7))))(rnd([4, 4, 3, 6], 2)),
  avgPoolGradGrad: () => tf.grad((dy: tf.Tensor) => tf.sum(tf.mul(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(x as tf.Tensor4D, 2, 1, 'valid'), dy)))(rnd([3, 5, 5, 6], 1)), rnd([3, 5, 5, 6], 7))))(rnd([3, 4, 4, 6], 5)),
  resizeGradGrad: () => tf.grad((dy: tf.Tensor) => tf.sum(tf.mul(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [8, 8]), dy)))(rnd([3, 4, 4, 6], 1)), rnd([3, 4, 4, 6], 7))))(rnd([3, 8, 8, 6], 5)),
};
for (const [n, f] of Object.entries(tests)) console.log(n, err(await on('wasm', f), await on('cpu', f)).toExponential(2));
