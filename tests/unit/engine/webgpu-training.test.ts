import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initTrainingEngine } from '../../../training/engine/init';
import { FlatAdam } from '../../../training/engine/optim/flat-adam';
import { LocalGradientRunner } from '../../../training/engine/parallel/local-runner';
import * as ganStep from '../../../training/engine/standin/gan-step';
import { standInConfig } from '../../../training/engine/standin/config';
import { createGanTrainingState, disposeGanTrainingState, ganIteration, STANDIN_ADAM, syntheticGanBatch } from '../../../training/engine/standin/iteration';
import { relativeError } from './helpers';

// Training on tfjs-backend-webgpu in Node, through Dawn (the `webgpu` package), for real: on this
// CPU-only machine and in CI the adapter is Chromium's SwiftShader, the Vulkan driver Debian's
// chromium package ships (the end-to-end tests need that package anyway). Its own file: the
// backend and Dawn's instance live as long as the process.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const TINY = standInConfig({ resolution: 16, vocabSize: 50, embedDim: 8, wordsPerCaption: 4, gWidths: [8, 16], gResBlocks: 1, dWidths: [8, 16] });
const PHASES = ['D', 'G', 'D+R1'];

type Gradients = Record<string, Record<string, Float32Array>>;

/** Each phase's gradients of the stand-in on the active backend, copied out; nothing left behind. */
async function standInGradients(): Promise<Gradients> {
  const runner = await LocalGradientRunner.fromModule(ganStep, 'gan-step', TINY);
  const state = createGanTrainingState(TINY, 1, () => new FlatAdam(STANDIN_ADAM));
  const batch = syntheticGanBatch(TINY, 4);
  const out: Gradients = {};
  for (const phase of PHASES) {
    const { grads } = await runner.computeGradients(state.params, batch, phase);
    out[phase] = {};
    for (const [name, g] of Object.entries(grads)) out[phase][name] = (await g.data()) as Float32Array;
    tf.dispose(Object.values(grads));
  }
  disposeGanTrainingState(state);
  tf.dispose(Object.values(batch));
  return out;
}

describe('training on webgpu in Node (Dawn)', () => {
  it('computes the stand-in GAN gradients the cpu backend computes, R1 included, and leaks nothing', async () => {
    if (!process.env.VK_ICD_FILENAMES) {
      expect(fs.existsSync(SWIFTSHADER_ICD), `no Vulkan driver for Dawn: install Debian's chromium (it ships ${SWIFTSHADER_ICD}) or set VK_ICD_FILENAMES`).toBe(true);
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    }
    await initTrainingEngine({ backend: 'cpu', log: () => {} });
    const onCpu = await standInGradients();

    const lines: string[] = [];
    const choice = await initTrainingEngine({ backend: 'webgpu', log: (l) => lines.push(l) });
    expect(choice.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(lines[0]).toMatch(/training backend: webgpu on \S+/);
    const onGpu = await standInGradients();
    for (const phase of PHASES) {
      expect(Object.keys(onGpu[phase]).sort()).toEqual(Object.keys(onCpu[phase]).sort());
      for (const name of Object.keys(onCpu[phase])) {
        // Floor 1e-4: biases that feed an instance norm have a true gradient of 0 (float noise).
        expect(relativeError(onGpu[phase][name], onCpu[phase][name], 1e-4), `${phase} ${name}`).toBeLessThan(2e-3);
      }
    }

    const runner = await LocalGradientRunner.fromModule(ganStep, 'gan-step', TINY);
    const state = createGanTrainingState(TINY, 1, () => new FlatAdam(STANDIN_ADAM));
    const batch = syntheticGanBatch(TINY, 4);
    await ganIteration(runner, state, batch); // Adam's moments are created on the first update
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const losses = await ganIteration(runner, state, batch, i % 2 === 0 ? 'D' : 'D+R1');
      expect(Number.isFinite(losses.d) && Number.isFinite(losses.g)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeGanTrainingState(state);
    tf.dispose(Object.values(batch));
  });
});
