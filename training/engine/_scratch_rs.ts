import * as tf from '@tensorflow/tfjs-core';
import { selectTrainingBackend } from './backend';
await selectTrainingBackend({ override: 'wasm', log: () => {} });
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  for (const [hc, ac] of [[false, false], [true, false], [false, true]] as const) {
    tf.tidy(() => {
      const x = tf.randomUniform([3, 4, 4, 6], -1, 1, 'float32', 1) as tf.Tensor4D;
      const r = tf.randomUniform([3, 8, 8, 6], -1, 1, 'float32', 2);
      const v = tf.randomUniform([3, 4, 4, 6], -1, 1, 'float32', 3) as tf.Tensor4D;
      const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(xi as tf.Tensor4D, [8, 8], ac, hc), r)))(x);
      const lhs = tf.sum(tf.mul(g, v)).dataSync()[0];
      const rhs = tf.sum(tf.mul(tf.image.resizeNearestNeighbor(v, [8, 8], ac, hc), r)).dataSync()[0];
      console.log(b, 'halfPixel', hc, 'align', ac, 'adjoint err', Math.abs(lhs - rhs).toExponential(2));
    });
  }
}
