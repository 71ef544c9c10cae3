import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { countFlops } from '../../../training/engine/bench/flop-counter';
import { initTrainingEngine } from '../../../training/engine/init';
import { LocalGradientRunner } from '../../../training/engine/parallel/local-runner';
import { standInConfig } from '../../../training/engine/standin/config';
import { flopsPerIteration } from '../../../training/engine/standin/cost';
import { createGanTrainingState, disposeGanTrainingState, ganIteration, syntheticGanBatch } from '../../../training/engine/standin/iteration';

beforeAll(async () => {
  await initTrainingEngine({ backend: 'wasm', log: () => {} });
});

describe('countFlops', () => {
  it('counts a conv, both its gradients and a batched matMul once each (not the composite kernels inside)', async () => {
    const x = tf.ones([2, 8, 8, 3]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 3, 5]) as tf.Tensor4D;
    const a = tf.ones([4, 6, 7]);
    const b = tf.ones([4, 7, 9]);
    const conv = 2 * 2 * 4 * 4 * 5 * 3 * 3 * 3; // stride 2, SAME: [2, 4, 4, 5] outputs, 27 MACs each
    const { total, byKernel } = await countFlops(async () => {
      tf.dispose(tf.grads((xt: tf.Tensor, wt: tf.Tensor) => tf.sum(tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 2, 'same')))([x, w]));
      tf.dispose(tf.matMul(a, b)); // a batch of 4: runs as 4 single products inside
    });
    expect(byKernel).toEqual({ Conv2D: conv, Conv2DBackpropInput: conv, Conv2DBackpropFilter: conv, BatchMatMul: 2 * 4 * 6 * 7 * 9 });
    expect(total).toBe(3 * conv + 2 * 4 * 6 * 7 * 9);
    tf.dispose([x, w, a, b]);
  });

  it("agrees with the stand-in's analytic count to 0.5% (that count leaves out D's small projection matMuls)", async () => {
    const config = standInConfig({ resolution: 16, vocabSize: 50, embedDim: 8, wordsPerCaption: 4, gWidths: [8, 16], gResBlocks: 1, dWidths: [8, 16] });
    const runner = await LocalGradientRunner.create(new URL('../../../training/engine/standin/gan-step.ts', import.meta.url).href, config);
    const state = createGanTrainingState(config);
    const batch = syntheticGanBatch(config, 4);
    await ganIteration(runner, state, batch);
    const { total } = await countFlops(async () => {
      await ganIteration(runner, state, batch);
    });
    const analytic = flopsPerIteration(config, 4);
    expect(Math.abs(total - analytic) / analytic).toBeLessThan(0.005);
    disposeGanTrainingState(state);
    tf.dispose(Object.values(batch));
  });
});
