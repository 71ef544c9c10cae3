import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTrainingEngine } from '../../../training/engine/init';
import { DataParallelTrainer } from '../../../training/engine/parallel/data-parallel-trainer';
import { LocalGradientRunner } from '../../../training/engine/parallel/local-runner';
import { standInConfig } from '../../../training/engine/standin/config';
import {
  createGanTrainingState,
  disposeGanTrainingState,
  ganIteration,
  syntheticGanBatch,
  type GanTrainingState,
} from '../../../training/engine/standin/iteration';
import { relativeError } from './helpers';

const GAN_MODULE = new URL('../../../training/engine/standin/gan-step.ts', import.meta.url).href;
const TINY = standInConfig({
  resolution: 16,
  vocabSize: 50,
  embedDim: 8,
  wordsPerCaption: 4,
  gWidths: [8, 16],
  gResBlocks: 1,
  dWidths: [8, 16],
});

let state: GanTrainingState;
let batch: Record<string, tf.Tensor>;

beforeAll(async () => {
  await initTrainingEngine({ backend: 'wasm', log: () => {} });
  state = createGanTrainingState(TINY);
  batch = syntheticGanBatch(TINY, 4);
});

afterAll(() => {
  disposeGanTrainingState(state);
  tf.dispose(Object.values(batch));
});

describe('a training loop on the engine', () => {
  it('leaks no tensors over 50 iterations (D with R1 every other one, G, Adam)', async () => {
    const runner = await LocalGradientRunner.create(GAN_MODULE, TINY);
    await ganIteration(runner, state, batch); // Adam creates its moment slots on the first update
    await ganIteration(runner, state, batch, 'D+R1');
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    for (let i = 0; i < 50; i++) {
      const losses = await ganIteration(runner, state, batch, i % 2 === 0 ? 'D' : 'D+R1');
      expect(Number.isFinite(losses.d) && Number.isFinite(losses.g)).toBe(true);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts)).toEqual(new Set([before]));
  });

  it('gets the same averaged gradients from two workers as from one full batch', async () => {
    const local = await LocalGradientRunner.create(GAN_MODULE, TINY);
    const parallel = await DataParallelTrainer.create({ modulePath: GAN_MODULE, moduleOptions: TINY, workers: 2 });
    try {
      for (const phase of ['D', 'G', 'D+R1']) {
        const one = await local.computeGradients(state.params, batch, phase);
        const two = await parallel.computeGradients(state.params, batch, phase);
        expect(Object.keys(two.grads).sort()).toEqual(Object.keys(one.grads).sort());
        for (const name of Object.keys(one.grads)) {
          // Floor 1e-4: biases that feed an instance norm have a true gradient of 0 (float noise).
          const err = relativeError(two.grads[name].dataSync(), one.grads[name].dataSync(), 1e-4);
          expect(err, `${phase} ${name}`).toBeLessThan(1e-3);
        }
        for (const loss of Object.keys(one.losses)) expect(two.losses[loss]).toBeCloseTo(one.losses[loss], 5);
        tf.dispose([...Object.values(one.grads), ...Object.values(two.grads)]);
      }
      await ganIteration(parallel, state, batch); // creates Adam's slots if this test runs alone
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) await ganIteration(parallel, state, batch);
      expect(tf.memory().numTensors).toBe(before);
      // Workers re-read only the parameters whose data changed: after those updates (D's in the
      // D step, G's in the G step) they must still see exactly what a local runner sees.
      for (const phase of ['G', 'D']) {
        const one = await local.computeGradients(state.params, batch, phase);
        const two = await parallel.computeGradients(state.params, batch, phase);
        for (const name of Object.keys(one.grads)) {
          expect(relativeError(two.grads[name].dataSync(), one.grads[name].dataSync(), 1e-4), `${phase} ${name} after updates`).toBeLessThan(1e-3);
        }
        tf.dispose([...Object.values(one.grads), ...Object.values(two.grads)]);
      }
    } finally {
      await parallel.dispose();
    }
  });
});
