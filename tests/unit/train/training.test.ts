import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as jieba from 'jieba-wasm';
import { createSegmenter } from '../../../model/text/segmenter';
import { buildVocabulary } from '../../../model/text/tokenizer';
import { listCheckpoints, listDamsmCheckpoints, loadExportWeights, readWeights, runModelConfig } from '../../../training/train/checkpoint';
import { disposeBatch, epochOrder, train, type StepRecord } from '../../../training/train/trainer';
import { backend, eightImages, eightImageTrainer, tinyConfig, tmpRuns, removeTmpRuns } from './helpers';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const series = (rs: StepRecord[], phase: string, key: string) => rs.filter((r) => r.phase === phase).map((r) => r.losses[key]);

function maxAbsDiff(a: Map<string, { values: Float32Array }>, b: Map<string, { values: Float32Array }>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let m = 0;
  for (const [k, x] of a) {
    const y = b.get(k)!.values;
    for (let i = 0; i < x.values.length; i++) m = Math.max(m, Math.abs(x.values[i] - y[i]));
  }
  return m;
}

describe('training loop (tiny-test config, 8 images made on the fly)', () => {
  afterAll(() => removeTmpRuns());
  beforeAll(async () => {
    await backend();
  });

  it('40 DAMSM steps then 40 GAN steps: losses move the expected way, reconstruction error falls, run folder complete', async () => {
    const cfg = tinyConfig((c) => {
      c.damsm.epochs = 20; // 8 pairs / batch 4 = 2 steps per epoch → 40 steps
      c.gan.epochs = 20;
      c.checkpointEvery = 10;
    });
    const data = await eightImages(cfg);
    expect(new Set(data.pairs.map((p) => p.imageId)).size).toBe(8);
    const r = await train({ config: cfg, data, runsRoot: tmpRuns(), quiet: true });
    expect(r.stopped).toBe('done');
    const damsm = series(r.records, 'damsm', 'damsm');
    const recon = series(r.records, 'gan', 'recon_l1');
    const d = series(r.records, 'gan', 'd');
    expect(damsm).toHaveLength(40);
    expect(recon).toHaveLength(40);
    // DAMSM pre-training learns to match the 8 captions to their images.
    expect(mean(damsm.slice(-5))).toBeLessThan(0.6 * mean(damsm.slice(0, 5)));
    // The paired reconstruction term pulls x̄_i towards the real image: the error on a fixed set
    // (same pairs, same noise) falls from the start of the GAN phase to its end.
    expect(r.evals.map((e) => e.epoch)).toEqual([0, 10, 20]);
    expect(r.evals[2].recon_l1).toBeLessThan(0.85 * r.evals[0].recon_l1);
    expect(mean(recon.slice(-5))).toBeLessThan(mean(recon.slice(0, 5)));
    // D learns to tell real from generated (its loss falls from its starting value).
    expect(mean(d.slice(-5))).toBeLessThan(mean(d.slice(0, 5)));
    for (const rec of r.records) for (const v of Object.values(rec.losses)) expect(Number.isFinite(v)).toBe(true);

    // Run folder: resolved config, vocabulary, templates, JSONL log, checkpoints, sample grids.
    const saved = JSON.parse(readFileSync(join(r.runDir, 'config.json'), 'utf8'));
    expect(saved.gan.epochs).toBe(20);
    expect(saved.gan.beta1).toBe(0.5); // defaults resolved
    const vocab = JSON.parse(readFileSync(join(r.runDir, 'vocab.json'), 'utf8'));
    const expected = buildVocabulary(data.pairs.map((p) => p.caption), createSegmenter(jieba, []), { lowercase: true });
    expect(vocab.words).toEqual([...expected.words]);
    const templates = JSON.parse(readFileSync(join(r.runDir, 'templates.json'), 'utf8'));
    expect(templates.templates.map((t: { id: string }) => t.id)).toEqual(['noto', 'twemoji']);
    expect(existsSync(join(r.runDir, 'templates', 'noto.png'))).toBe(true);
    const log = readFileSync(join(r.runDir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.some((l) => l.event === 'checkpoint')).toBe(true);
    expect(log.filter((l) => l.phase === 'gan' && l.losses).length).toBe(40);
    expect(listDamsmCheckpoints(r.runDir).map((c) => c.epoch)).toEqual([10, 20]);
    const ckpts = listCheckpoints(r.runDir);
    expect(ckpts.map((c) => [c.epoch, c.step])).toEqual([[10, 20], [20, 40]]);
    expect(existsSync(join(r.runDir, 'samples', 'epoch_0020.png'))).toBe(true);
    expect(JSON.parse(readFileSync(join(r.runDir, 'samples', 'epoch_0020.json'), 'utf8')).rows).toHaveLength(cfg.grid.captions.length);

    // The exporter's view: EMA generator + text encoder under the architecture's parameter names.
    const w = loadExportWeights(ckpts[1].dir);
    const names = [...w.keys()];
    expect(names.every((n) => n.startsWith('gen/') || n.startsWith('text/'))).toBe(true);
    expect(names).toContain('text/lstm_fw/wx');
    expect(names).toContain('gen/edit1/rgb/w');
    expect(runModelConfig(r.runDir).vocabSize).toBe(vocab.words.length);
    // EMA differs from the live weights (it averages them).
    const live = readWeights(ckpts[1].dir, 'params');
    const k = 'gen/edit0/rgb/w';
    expect(maxAbsDiff(new Map([[k, w.get(k)!]]), new Map([[k, live.get(k)!]]))).toBeGreaterThan(0);
  });

  it('2 epochs straight == 1 epoch, a kill mid-epoch, a resume and 1 more (float tolerance)', async () => {
    const cfg = tinyConfig((c) => {
      c.damsm.epochs = 1;
      c.gan.epochs = 2;
      c.checkpointEvery = 1;
    });
    const data = await eightImages(cfg);
    const straight = await train({ config: cfg, data, runsRoot: tmpRuns(), quiet: true });
    // damsm: 2 steps, gan epoch 1: 2 steps, then 1 step of epoch 2 that the kill loses.
    const killed = await train({ config: cfg, data, runsRoot: tmpRuns(), quiet: true, maxSteps: 5 });
    expect(killed.stopped).toBe('maxSteps');
    expect(listCheckpoints(killed.runDir).map((c) => c.epoch)).toEqual([1]);
    const resumed = await train({ config: cfg, data, resumeDir: killed.runDir, quiet: true });
    expect(resumed.stopped).toBe('done');
    expect(resumed.records.map((r) => r.globalStep)).toEqual([5, 6]);
    const a = listCheckpoints(straight.runDir).pop()!;
    const b = listCheckpoints(killed.runDir).pop()!;
    expect([a.epoch, a.step]).toEqual([b.epoch, b.step]);
    for (const stem of ['params', 'ema', 'opt_g', 'opt_d']) expect(maxAbsDiff(readWeights(a.dir, stem), readWeights(b.dir, stem))).toBeLessThan(1e-5);
    const lastStraight = straight.records[straight.records.length - 1].losses;
    const lastResumed = resumed.records[resumed.records.length - 1].losses;
    expect(lastResumed.g).toBeCloseTo(lastStraight.g, 4);
    expect(lastResumed.d).toBeCloseTo(lastStraight.d, 4);
  });

  it('no tensor leaks per DAMSM or GAN step', async () => {
    const cfg = tinyConfig();
    const trainer = await eightImageTrainer(cfg);
    try {
      const order = epochOrder(trainer.pairCount, 1, 'gan', 0);
      const step = async (phase: 'damsm' | 'gan', k: number) => {
        const b = trainer.makeBatch(order.slice(0, 4), phase, k);
        if (phase === 'damsm') await trainer.damsmStep(b);
        else await trainer.ganStep(b);
        disposeBatch(b);
      };
      for (const phase of ['damsm', 'gan'] as const) {
        await step(phase, 0); // first step creates the optimiser moments
        const before = tf.memory().numTensors;
        await step(phase, 1);
        await step(phase, 2);
        expect(tf.memory().numTensors).toBe(before);
      }
      const before = tf.memory().numTensors;
      await trainer.sample('脸红了', ['noto'], [1, 2]);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await trainer.dispose();
    }
  });
});
