import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, resolveConfig } from '../../../training/train/config';
import { disposeBatch, epochOrder, train, type MemeFaceTrainer } from '../../../training/train/trainer';
import { backend, eightImages, eightImageTrainer, removeTmpRuns, tinyConfig, tmpRuns } from './helpers';

function maxAbsDiff(a: Map<string, { values: Float32Array }>, b: Map<string, { values: Float32Array }>): number {
  let m = 0;
  for (const [k, w] of a) w.values.forEach((x, i) => (m = Math.max(m, Math.abs(x - b.get(k)!.values[i]))));
  return m;
}

describe('gan.shards: the batch as shards, on one thread or over worker threads', () => {
  beforeAll(async () => {
    await backend();
  });
  afterAll(removeTmpRuns);

  it('is validated: a positive integer that divides gan.batchSize', () => {
    expect(resolveConfig({}).gan.shards).toBe(1);
    expect(resolveConfig({ gan: { batchSize: 14, shards: 2 } }).gan.shards).toBe(2);
    expect(() => resolveConfig({ gan: { shards: 0 } })).toThrow(ConfigError);
    expect(() => resolveConfig({ gan: { shards: 1.5 } })).toThrow(ConfigError);
    expect(() => resolveConfig({ gan: { batchSize: 14, shards: 4 } })).toThrow(/must divide "gan.batchSize"/);
  });

  it('mismatched captions and templates, and the DAMSM exclusions, stay within a shard', async () => {
    const cfg = tinyConfig((c) => (c.gan.shards = 2));
    const trainer = await eightImageTrainer(cfg);
    try {
      const data = await eightImages(cfg);
      const indices = epochOrder(trainer.pairCount, 1, 'gan', 0).slice(0, 8);
      const b = trainer.makeBatch(indices, 'gan', 0, 2);
      expect(b.shardSize).toBe(4);
      expect(b.exclude.shape).toEqual([8, 4]); // [B, shard size]
      const wrong = Array.from(b.wrongCaption.dataSync());
      const wrongTemplate = Array.from(b.wrongTemplate.dataSync());
      wrong.forEach((j, i) => {
        const base = i - (i % 4);
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThan(4);
        expect(data.pairs[indices[base + j]].caption).not.toBe(data.pairs[indices[i]].caption);
        expect(data.pairs[indices[base + wrongTemplate[i]]].template).not.toBe(data.pairs[indices[i]].template);
      });
      disposeBatch(b);
      expect(() => trainer.makeBatch(indices.slice(0, 6), 'gan', 0, 4)).toThrow(ConfigError);
    } finally {
      await trainer.dispose();
    }
  });

  it('two worker threads give the update of one thread (stage-0-only steps too), and leak nothing', async () => {
    const cfg = tinyConfig((c) => {
      c.gan.batchSize = 8;
      c.gan.shards = 2;
      c.gan.trainTextEncoder = true;
    });
    // Four steps (full, stage 0 only, full, stage 0 only) on one trainer; tfjs names variables
    // globally, so the two trainers run one after the other.
    const run = async (workers: number) => {
      const t = await eightImageTrainer(cfg);
      try {
        await t.startWorkers(workers);
        t.startGan();
        const initial = await t.weights(['gen/']);
        const order = epochOrder(t.pairCount, 1, 'gan', 0);
        const losses: Record<string, number>[] = [];
        let tensorsAfterWarmUp = 0;
        for (let k = 0; k < 4; k++) {
          const b = t.makeBatch(order, 'gan', k, 2);
          losses.push(await t.ganStep(b, k % 2 === 0 ? 2 : 1));
          disposeBatch(b);
          if (k === 1) tensorsAfterWarmUp = tf.memory().numTensors; // both kinds of step have made their Adam moments
        }
        expect(tf.memory().numTensors).toBe(tensorsAfterWarmUp);
        const weights = await t.weights(['text/', 'gen/', 'disc/']);
        // The weights did move: the comparison below is not between two untouched models.
        expect(maxAbsDiff(await t.weights(['gen/']), initial)).toBeGreaterThan(1e-3);
        return { losses, weights };
      } finally {
        await t.dispose();
      }
    };
    const one = await run(1);
    const two = await run(2);
    one.losses.forEach((a, k) => {
      expect(Object.keys(two.losses[k]).sort()).toEqual(Object.keys(a).sort());
      for (const name of Object.keys(a)) expect(two.losses[k][name], `${name} at step ${k}`).toBeCloseTo(a[name], 4);
    });
    expect(maxAbsDiff(one.weights, two.weights)).toBeLessThan(1e-4);
  }, 120_000);

  it('refuses a worker count that does not divide gan.shards', async () => {
    const trainer = await eightImageTrainer(tinyConfig((c) => (c.gan.shards = 2)));
    try {
      await expect(trainer.startWorkers(3)).rejects.toThrow(/--workers must divide gan.shards/);
    } finally {
      await trainer.dispose();
    }
  });

  it('train() with two workers runs, logs them, and shuts them down', async () => {
    const cfg = tinyConfig((c) => {
      c.damsm.epochs = 1;
      c.gan.epochs = 1;
      c.gan.shards = 2;
    });
    const r = await train({ config: cfg, runsRoot: tmpRuns(), data: await eightImages(cfg), workers: 2, quiet: true });
    expect(r.stopped).toBe('done');
    const gan = r.records.filter((s) => s.phase === 'gan');
    expect(gan.length).toBeGreaterThan(0);
    for (const s of gan) expect(Number.isFinite(s.losses.g) && Number.isFinite(s.losses.d)).toBe(true);
    const log = readFileSync(join(r.runDir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.find((e) => e.event === 'workers')).toMatchObject({ workers: 2, shards: 2 });
  }, 120_000);
});
