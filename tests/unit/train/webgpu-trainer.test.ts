import fs from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { initTrainingBackend } from '../../../training/train/backend';
import { listCheckpoints } from '../../../training/train/checkpoint';
import { disposeBatch, epochOrder, train, type MemeFaceTrainer } from '../../../training/train/trainer';
import { eightImages, eightImageTrainer, removeTmpRuns, tinyConfig, tmpRuns } from './helpers';

// The MemeFace trainer on tfjs-backend-webgpu in Node, through Dawn (`npm run train -- --backend
// webgpu`), for real: on this CPU-only machine and in CI the adapter is Chromium's SwiftShader, the
// Vulkan driver Debian's chromium package ships. Its own file: the webgpu backend and Dawn's
// instance live as long as the process.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

interface StepTrace {
  losses: Record<string, number>[];
  recon: number;
  sample: Float32Array;
}

/**
 * From the same initial weights: one DAMSM step, a GAN step of every stage and a stage-0-only
 * one, the fixed-set reconstruction and a sample; numTensors must not grow over repeated steps.
 */
async function trace(trainer: MemeFaceTrainer): Promise<StepTrace> {
  const order = epochOrder(trainer.pairCount, 1, 'gan', 0);
  const losses: Record<string, number>[] = [];
  const damsm = trainer.makeBatch(order.slice(0, 4), 'damsm', 0);
  losses.push(await trainer.damsmStep(damsm));
  disposeBatch(damsm);
  trainer.startGan();
  let tensorsAfterWarmUp = 0;
  for (let k = 0; k < 4; k++) {
    const b = trainer.makeBatch(order.slice(0, 4), 'gan', k);
    losses.push(await trainer.ganStep(b, k % 2 === 0 ? 2 : 1));
    disposeBatch(b);
    if (k === 1) tensorsAfterWarmUp = tf.memory().numTensors; // both kinds of step have made their Adam moments
  }
  expect(tf.memory().numTensors).toBe(tensorsAfterWarmUp);
  const recon = await trainer.evalRecon();
  const sample = (await trainer.sample('脸红了', ['noto'], [1])).data;
  expect(tf.memory().numTensors).toBe(tensorsAfterWarmUp);
  return { losses, recon, sample };
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-3);

describe('npm run train -- --backend webgpu (Dawn in Node)', () => {
  afterAll(removeTmpRuns);

  it('takes the steps the wasm backend takes, reads everything asynchronously, and leaks nothing', async () => {
    if (!process.env.VK_ICD_FILENAMES) {
      expect(fs.existsSync(SWIFTSHADER_ICD), `no Vulkan driver for Dawn: install Debian's chromium (it ships ${SWIFTSHADER_ICD}) or set VK_ICD_FILENAMES`).toBe(true);
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    }
    const cfg = tinyConfig((c) => (c.gan.trainTextEncoder = true));
    // tfjs names variables globally, so the two trainers run one after the other.
    await initTrainingBackend('wasm', () => {});
    const wasmTrainer = await eightImageTrainer(cfg);
    const onWasm = await trace(wasmTrainer).finally(() => wasmTrainer.dispose());

    expect(await initTrainingBackend('webgpu', () => {})).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    const gpuTrainer = await eightImageTrainer(cfg);
    const onGpu = await trace(gpuTrainer).finally(() => gpuTrainer.dispose());

    expect(onGpu.losses.map((l) => Object.keys(l).sort())).toEqual(onWasm.losses.map((l) => Object.keys(l).sort()));
    // The first DAMSM and GAN steps start from the same weights: float32 on both backends.
    for (const step of [0, 1]) {
      for (const [name, v] of Object.entries(onWasm.losses[step])) expect(relative(onGpu.losses[step][name], v), `step ${step} ${name}`).toBeLessThan(2e-3);
    }
    // Later steps follow Adam updates, which magnify float noise in near-zero gradients a little.
    for (const step of [2, 3, 4]) {
      for (const name of ['g', 'd', 'recon_l1']) {
        if (name in onWasm.losses[step]) expect(relative(onGpu.losses[step][name], onWasm.losses[step][name]), `step ${step} ${name}`).toBeLessThan(2e-2);
      }
    }
    expect(relative(onGpu.recon, onWasm.recon)).toBeLessThan(2e-2);
    expect(onGpu.sample.length).toBe(onWasm.sample.length);
    let diff = 0;
    onGpu.sample.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - onWasm.sample[i]))));
    expect(diff).toBeLessThan(0.05);
  }, 300_000);

  it('runs a whole run on webgpu: DAMSM, GAN, evals, sample grids and checkpoints', async () => {
    expect(tf.getBackend()).toBe('webgpu'); // the test above switched to it
    const cfg = tinyConfig((c) => {
      c.damsm.epochs = 1;
      c.gan.epochs = 1;
    });
    const r = await train({ config: cfg, data: await eightImages(cfg), runsRoot: tmpRuns(), quiet: true });
    expect(r.stopped).toBe('done');
    expect(r.records.filter((x) => x.phase === 'gan').every((x) => Number.isFinite(x.losses.g))).toBe(true);
    expect(r.evals.map((e) => e.epoch)).toEqual([0, 1]);
    expect(listCheckpoints(r.runDir).map((c) => c.epoch)).toEqual([1]);
    expect(fs.existsSync(join(r.runDir, 'samples', 'epoch_0001.png'))).toBe(true);
  }, 300_000);
});
