import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTrainingEngine } from '../../../training/engine/init';
import { FlatAdam } from '../../../training/engine/optim/flat-adam';
import { LocalGradientRunner } from '../../../training/engine/parallel/local-runner';
import { ReplicatedTrainer } from '../../../training/engine/parallel/replicated-trainer';
import { standInConfig } from '../../../training/engine/standin/config';
import {
  createGanTrainingState,
  disposeGanTrainingState,
  ganIteration,
  replicatedGanIteration,
  STANDIN_ADAM,
  syntheticGanBatch,
  type GanTrainingState,
} from '../../../training/engine/standin/iteration';
import { relativeError } from './helpers';

const GAN_MODULE = new URL('../../../training/engine/standin/gan-step.ts', import.meta.url).href;
const TINY = standInConfig({ resolution: 16, vocabSize: 50, embedDim: 8, wordsPerCaption: 4, gWidths: [8, 16], gResBlocks: 1, dWidths: [8, 16] });
// Larger steps than the stand-in's 2e-4, so that three updates move every parameter measurably.
const ADAM = { ...STANDIN_ADAM, learningRate: 1e-2 };

let local: GanTrainingState;
let batch: Record<string, tf.Tensor>;
let trainer: ReplicatedTrainer;

beforeAll(async () => {
  await initTrainingEngine({ backend: 'wasm', log: () => {} });
  local = createGanTrainingState(TINY);
  batch = syntheticGanBatch(TINY, 5); // odd: shards of 3 and 2, weighted 3/5 and 2/5
  trainer = await ReplicatedTrainer.create({ modulePath: GAN_MODULE, moduleOptions: TINY, workers: 2, params: local.params, optimizers: { d: ADAM, g: ADAM } });
  local.optimizers.d.dispose();
  local.optimizers.g.dispose();
  // The reference loop runs FlatAdam (tfjs ops), so the workers' SIMD Adam is checked against it.
  local.optimizers = { d: new FlatAdam(ADAM), g: new FlatAdam(ADAM) };
});

afterAll(async () => {
  await trainer.dispose();
  disposeGanTrainingState(local);
  tf.dispose(Object.values(batch));
});

describe('ReplicatedTrainer (parameters and Adam in the workers)', () => {
  it('trains as one full-batch loop does, and its replicas stay bit-identical', async () => {
    const runner = await LocalGradientRunner.create(GAN_MODULE, TINY);
    // Biases that feed an instance norm have a true gradient of 0: Adam turns their float noise
    // into ±lr steps whose signs differ between any two summation orders, so they are not compared.
    const noiseOnly = new Set<string>();
    for (const phase of ['D', 'G']) {
      const { grads } = await runner.computeGradients(local.params, batch, phase);
      for (const [name, g] of Object.entries(grads)) if (tf.max(tf.abs(g)).dataSync()[0] < 1e-6) noiseOnly.add(name);
      tf.dispose(Object.values(grads));
    }
    expect([...noiseOnly].every((n) => n.endsWith('/b'))).toBe(true);
    const initial = Object.fromEntries(Object.entries(local.params).map(([n, p]) => [n, tf.clone(p)]));
    const phases = ['D', 'D+R1', 'D'] as const;
    for (const phase of phases) {
      const a = await ganIteration(runner, local, batch, phase);
      const b = await replicatedGanIteration(trainer, batch, phase);
      expect(b.d).toBeCloseTo(a.d, 4);
      expect(b.g).toBeCloseTo(a.g, 4);
    }
    const first = await trainer.readParams(0);
    const second = await trainer.readParams(1);
    for (const name of Object.keys(local.params)) {
      expect(Array.from(second[name].dataSync()), `replicas differ in ${name}`).toEqual(Array.from(first[name].dataSync()));
      const moved = relativeError(first[name].dataSync(), local.params[name].dataSync(), 1e-3);
      if (!noiseOnly.has(name)) expect(moved, name).toBeLessThan(1e-2);
    }
    // The updates did move the parameters (so the comparison above is not of initial values).
    const changed = Object.keys(local.params).filter((n) => relativeError(first[n].dataSync(), initial[n].dataSync(), 1e-3) > 1e-2);
    expect(changed.length).toBeGreaterThan(Object.keys(local.params).length / 2);
    tf.dispose([...Object.values(first), ...Object.values(second), ...Object.values(initial)]);
  });

  it('leaks no tensors in this thread or in the workers', async () => {
    await replicatedGanIteration(trainer, batch);
    const before = tf.memory().numTensors;
    const workerBefore = trainer.workerTensorCounts.slice();
    for (let i = 0; i < 10; i++) await replicatedGanIteration(trainer, batch, i % 2 ? 'D+R1' : 'D');
    expect(tf.memory().numTensors).toBe(before);
    expect(trainer.workerTensorCounts).toEqual(workerBefore);
    // Each worker reports where each of the iteration's two steps went.
    expect(trainer.workerTimings).toHaveLength(2);
    for (const perStep of trainer.workerTimings) {
      expect(perStep).toHaveLength(2);
      for (const t of perStep) for (const ms of [t.gradients, t.barrier, t.update]) expect(ms).toBeGreaterThanOrEqual(0);
    }
  });

  it("reports the failing worker's own error, not its peers' barrier error", async () => {
    const other = await ReplicatedTrainer.create({ modulePath: GAN_MODULE, moduleOptions: TINY, workers: 2, params: local.params, optimizers: { d: ADAM } });
    try {
      await expect(other.step(batch, 'X', 'd')).rejects.toThrow(/unknown phase "X"/);
      await expect(other.step(batch, 'G', 'nope')).rejects.toThrow(/no optimizer "nope"/);
      // A failure in a later step of one call fails the call; the workers' barrier stays in step.
      await expect(other.steps(batch, [{ phase: 'D', optimizer: 'd' }, { phase: 'X', optimizer: 'd' }])).rejects.toThrow(/unknown phase "X"/);
      expect((await other.step(batch, 'D', 'd')).d).toBeGreaterThan(0);
    } finally {
      await other.dispose();
    }
  });
});
