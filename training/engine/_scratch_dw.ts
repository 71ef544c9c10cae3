import * as tf from '@tensorflow/tfjs-core';
import { selectTrainingBackend } from './backend';
import { conv2dBackpropFilter } from './kernels/conv2d-backprop-filter';
import { conv2dGeometry } from './kernels/conv-geometry';
import { padToSpan } from './kernels/taps';
await selectTrainingBackend({ override: 'wasm', log: () => {} });

function folded(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: any): tf.Tensor4D {
  const g = conv2dGeometry(x.shape, attrs.filterShape, attrs);
  const s = g.strideHeight;
  let P = padToSpan(x, g); // [B, SH, SW, ci]
  const [b, sh, sw, ci] = P.shape;
  const swp = Math.ceil(sw / s) * s;
  if (swp !== sw) P = tf.pad(P, [[0, 0], [0, 0], [0, swp - sw], [0, 0]]);
  const cols = tf.reshape(P, [b * sh, swp / s, s * ci]); // [B·SH, SW/s, s·ci]
  const co = g.outChannels, wo = g.outWidth, ho = g.outHeight;
  const dyR = tf.reshape(tf.transpose(dy, [1, 0, 2, 3]), [ho, 1, b * wo, co]); // [Ho, 1, B·Wo, co]
  const outs: tf.Tensor4D[] = [];
  for (let kw = 0; kw < g.filterWidth; kw++) {
    const q = tf.slice(cols, [0, Math.floor(kw / s), (kw % s) * ci], [b * sh, wo, ci]); // [B·SH, Wo, ci]
    const qT = tf.reshape(tf.transpose(tf.reshape(q, [b, sh, wo, ci]), [3, 1, 0, 2]), [ci, sh, 1, b * wo]);
    outs.push(tf.conv2d(qT, dyR, 1, 'valid', 'NHWC', [s, 1]) as tf.Tensor4D); // [ci, K, 1, co]
  }
  return tf.transpose(tf.concat(outs, 2), [1, 2, 0, 3]) as tf.Tensor4D;
}
function time(f: () => tf.Tensor, reps = 5) {
  tf.tidy(f).dispose();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) { const c0 = process.cpuUsage(); const y = tf.tidy(f); y.dataSync(); const c = process.cpuUsage(c0); ts.push((c.user + c.system) / 1000); y.dispose(); }
  return ts.sort((a, b) => a - b)[Math.floor(reps / 2)];
}
const cases: [number, number, number, number, number, number][] = [
  [28, 64, 3, 32, 4, 2], [28, 32, 32, 64, 4, 2], [28, 16, 64, 160, 4, 2], [28, 8, 160, 512, 4, 2], [14, 8, 256, 256, 3, 1], [14, 16, 256, 64, 3, 1], [14, 32, 64, 32, 3, 1], [14, 64, 32, 16, 3, 1], [14, 64, 16, 3, 3, 1], [14, 32, 16, 32, 4, 2],
];
for (const [B, H, ci, co, k, s] of cases) {
  const x = tf.randomNormal([B, H, H, ci]) as tf.Tensor4D;
  const y = tf.conv2d(x, tf.zeros([k, k, ci, co]) as tf.Tensor4D, s, 'same');
  const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
  const attrs = { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, ci, co] };
  const a = conv2dBackpropFilter(x, dy, attrs as any), b2 = folded(x, dy, attrs);
  const err = tf.max(tf.abs(tf.sub(a, b2))).dataSync()[0] / tf.max(tf.abs(a)).dataSync()[0];
  const flops = 2 * dy.size * k * k * ci;
  const t1 = time(() => conv2dBackpropFilter(x, dy, attrs as any)), t2 = time(() => folded(x, dy, attrs));
  console.log(`B${B} H${H} ${ci}->${co} k${k}s${s}: dilated ${(flops / t1 / 1e6).toFixed(1)} folded ${(flops / t2 / 1e6).toFixed(1)} GFLOP/cpu-s  err ${err.toExponential(1)}`);
}
