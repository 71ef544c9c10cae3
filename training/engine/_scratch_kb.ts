import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { conv2dBackpropFilter, conv2dBackpropFilterDilated } from './kernels/conv2d-backprop-filter';
import { conv2dBackpropInput } from './kernels/conv2d-backprop-input';

await tf.setBackend('wasm');
function time(f: () => tf.Tensor, reps = 5): number {
  f().dispose();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); const y = tf.tidy(f); y.dataSync(); ts.push(performance.now() - t0); y.dispose(); }
  ts.sort((a, b) => a - b); return ts[Math.floor(reps / 2)];
}
const cases: [number, number, number, number, number, number][] = [
  // B, H, ci, co, k, s
  [14, 64, 3, 32, 4, 2], [14, 32, 32, 64, 4, 2], [14, 16, 64, 128, 4, 2], [14, 32, 64, 64, 3, 1], [14, 16, 128, 128, 3, 1], [14, 64, 64, 32, 3, 1], [14, 64, 32, 3, 3, 1],
];
for (const [B, H, ci, co, k, s] of cases) {
  const x = tf.randomNormal([B, H, H, ci]) as tf.Tensor4D;
  const w = tf.randomNormal([k, k, ci, co]) as tf.Tensor4D;
  const y = tf.conv2d(x, w, s, 'same');
  const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
  const flops = 2 * y.size * k * k * ci;
  const attrs = { strides: s, pad: 'same' as const, dataFormat: 'NHWC' as const, filterShape: [k, k, ci, co] as [number, number, number, number] };
  const fw = time(() => tf.conv2d(x, w, s, 'same'));
  const im = time(() => conv2dBackpropFilter(x, dy, attrs));
  const di = time(() => conv2dBackpropFilterDilated(x, dy, attrs));
  const stockIn = time(() => tf.conv2dTranspose(dy, w, [B, H, H, ci], s, 'same'), 3);
  const ph = time(() => conv2dBackpropInput(dy, w, { strides: s, pad: 'same', dataFormat: 'NHWC', inputShape: [B, H, H, ci] }));
  const gf = (ms: number) => (flops / ms / 1e6).toFixed(1);
  console.log(`B${B} H${H} ${ci}->${co} k${k} s${s}: fwd ${gf(fw)}  dW im2col ${gf(im)} dilated ${gf(di)}  dX stock ${gf(stockIn)} phase ${gf(ph)} GFLOP/s  (fwd ${fw.toFixed(1)}ms)`);
  tf.dispose([x, w, y, dy]);
}
