import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { silenceTfjsWarnings, type BenchJob } from '../../../training/engine/bench/measure';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfig, createBenchSubject, SHIPPED_MANIFEST, shippedConfigName } from '../../../training/train/bench-subject';
import { loadConfigFile } from '../../../training/train/config';
import { backend } from './helpers';

const job = (over: Partial<BenchJob>): BenchJob => ({ mode: 'wasm', resolution: 64, batch: 4, iterations: 1, warmup: 0, config: {}, model: 'memeface', ...over });

beforeAll(async () => {
  await backend();
  silenceTfjsWarnings(); // as the bench's child process does: the step must run under it (it once set IS_TEST, whose leak check fails the class head's loss)
});

describe('the MemeFace bench:train subject', () => {
  it("benchmarks the config the shipped default was trained with, read from its manifest", () => {
    const shipped = JSON.parse(readFileSync(SHIPPED_MANIFEST, 'utf8')).config.run;
    expect(shippedConfigName()).toBe(shipped.name);
    const own = loadConfigFile(shipped.name);
    expect(benchConfig(256).gan).toEqual({ ...own.gan });
    expect(benchConfig(256).model.channels).toEqual(shipped.model.channels);
    const dir = mkdtempSync(join(tmpdir(), 'bench-manifest-'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ config: { model: {} } }));
    expect(() => shippedConfigName(join(dir, 'manifest.json'))).toThrow(/names no run config \(config\.run\.name\): re-export/);
  });

  it("cuts the default's stages to the benchmark size and refuses other sizes", () => {
    expect(benchConfig(64).model.imageSizes).toEqual([64]);
    const two = benchConfig(128).model;
    expect([two.imageSizes, two.channels.length, two.editChannels.length]).toEqual([[64, 128], 2, 2]);
    expect(() => benchConfig(96)).toThrow(/stage sizes/);
  });

  it('runs two cores as two shards on two worker threads, and refuses the other modes', async () => {
    const subject = await createBenchSubject(job({ mode: 'wasm2' }));
    try {
      expect(subject.description).toMatch(/2 shards on 2 worker threads/);
      expect(subject.flopsPerIteration).toBeGreaterThan(1e8);
      const before = tf.memory().numTensors;
      await subject.iteration();
      await subject.iteration();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await subject.dispose();
    }
    await expect(createBenchSubject(job({ mode: 'wasm2-grads' }))).rejects.toThrow(/modes cpu, wasm \(one core\), wasm2 \(two worker threads\) and webgpu/);
  }, 120_000);

  it('runs the real GAN step, counts its FLOPs and leaks no tensors', async () => {
    const subject = await createBenchSubject(job({}));
    expect(subject.params).toBeGreaterThan(1e5);
    expect(subject.flopsPerIteration).toBeGreaterThan(1e8);
    const before = tf.memory().numTensors;
    await subject.iteration();
    await subject.iteration();
    expect(tf.memory().numTensors).toBe(before);
    const beforeDispose = tf.memory().numTensors;
    await subject.dispose();
    expect(tf.memory().numTensors).toBeLessThan(beforeDispose); // the trainer's variables and moments are freed
  }, 120_000);
});
