import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointHistory, listCheckpoints, readWeights } from '../../../training/train/checkpoint';
import { ConfigError, resolveConfig, type RunConfig } from '../../../training/train/config';
import { disposeBatch, fixedWarmStartKeys, train, WarmStartError } from '../../../training/train/trainer';
import { backend, eightImages, eightImageTrainer, removeTmpRuns, tinyConfig, tmpRuns } from './helpers';

/** The tiny config (16/32 px) with 1 DAMSM epoch and `ganEpochs` GAN epochs. */
const epochsConfig = (ganEpochs: number, more: (c: RunConfig) => void = () => {}) =>
  tinyConfig((c) => {
    c.damsm.epochs = 1;
    c.gan.epochs = ganEpochs;
    more(c);
  });

/** The tiny config on the shade-plus-colour blend with the ink shade (what model.fillGate and friends need). */
const shadedConfig = (ganEpochs: number, more: (c: RunConfig) => void = () => {}) =>
  epochsConfig(ganEpochs, (c) => {
    c.model.blend = 'mask-shade-colour';
    c.model.shadeInk = true;
    more(c);
  });

function maxAbsDiff(a: Map<string, { values: Float32Array }>, b: Map<string, { values: Float32Array }>, prefix = ''): number {
  let m = 0;
  for (const [k, w] of a) if (k.startsWith(prefix)) w.values.forEach((x, i) => (m = Math.max(m, Math.abs(x - b.get(k)!.values[i]))));
  return m;
}

describe('gan.upperStageEvery: stages above 0 train on every k-th step only', () => {
  beforeAll(async () => {
    await backend();
  });

  it('is validated as a positive integer', () => {
    expect(() => resolveConfig({ gan: { upperStageEvery: 0 } })).toThrow(ConfigError);
    expect(() => resolveConfig({ gan: { upperStageEvery: 1.5 } })).toThrow(ConfigError);
  });

  it('schedules all stages on every third step, stage 0 alone between', async () => {
    const trainer = await eightImageTrainer(epochsConfig(1, (c) => (c.gan.upperStageEvery = 3)));
    const schedule = [0, 1, 2, 3, 4, 5, 6].map((s) => trainer.stagesAt(s));
    await trainer.dispose();
    expect(schedule).toEqual([2, 1, 1, 2, 1, 1, 2]);
    const every = await eightImageTrainer(epochsConfig(1));
    const everyStep = [0, 1, 2].map((s) => every.stagesAt(s));
    await every.dispose();
    expect(everyStep).toEqual([2, 2, 2]);
  });

  it('a stage-0 step moves stage 0, the text encoder and D_0, leaves stage 1 and D_1 as they were, and leaks nothing', async () => {
    const trainer = await eightImageTrainer(epochsConfig(1, (c) => (c.gan.trainTextEncoder = true)));
    onTestFinished(() => trainer.dispose());
    trainer.startGan();
    const before = await trainer.weights(['text/', 'gen/', 'disc/']);
    const step = async () => {
      const batch = trainer.makeBatch([0, 1, 2, 3], 'gan', 0);
      const losses = await trainer.ganStep(batch, 1);
      disposeBatch(batch);
      return losses;
    };
    expect(Number.isFinite((await step()).g)).toBe(true);
    const after = await trainer.weights(['text/', 'gen/', 'disc/']);
    for (const frozen of ['gen/s1', 'gen/edit1', 'disc/d1']) expect(maxAbsDiff(after, before, frozen), frozen).toBe(0);
    for (const moved of ['gen/s0', 'gen/edit0', 'disc/d0', 'text/']) expect(maxAbsDiff(after, before, moved), moved).toBeGreaterThan(0);
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await step();
    expect(tf.memory().numTensors).toBe(n);
  }, 120_000);
});

describe('a warm start (--init-from <run>)', () => {
  beforeAll(async () => {
    await backend();
  });
  afterAll(removeTmpRuns);

  /** A one-epoch run on the eight images, to start from. */
  async function oneEpochSource() {
    const base = epochsConfig(1);
    const data = await eightImages(base);
    return { data, source: await train({ config: base, data, runsRoot: tmpRuns(), quiet: true }) };
  }

  it('goes on from the source run exactly as the source trained on would, and refuses a different model', async () => {
    const { data, source } = await oneEpochSource();
    // As saved by a run from before these keys existed: they compare as their defaults.
    const saved = JSON.parse(readFileSync(join(source.runDir, 'config.json'), 'utf8'));
    delete saved.gan.classWeight;
    delete saved.gan.upperStageEvery;
    writeFileSync(join(source.runDir, 'config.json'), JSON.stringify(saved));
    const onward = epochsConfig(2, (c) => (c.name = 'tiny-onward'));
    const warm = await train({ config: onward, data, runsRoot: tmpRuns(), stage: 'gan', initFrom: source.runDir, quiet: true });
    expect(listCheckpoints(warm.runDir).map((c) => c.epoch)).toEqual([2]);
    // The exporter's timeline: the source's checkpoint it started from, then its own.
    expect(checkpointHistory(warm.runDir).map((c) => c.dir)).toEqual([listCheckpoints(source.runDir)[0].dir, listCheckpoints(warm.runDir)[0].dir]);
    expect(readFileSync(join(warm.runDir, 'log.jsonl'), 'utf8')).toContain('"event":"init"');
    // The encoders come with the source's checkpoint, so no "random init" warning; a cold GAN-only run gets one.
    expect(readFileSync(join(warm.runDir, 'log.jsonl'), 'utf8')).not.toContain('without a pre-trained DAMSM');
    const cold = await train({ config: epochsConfig(1, (c) => (c.name = 'tiny-cold-gan')), data, runsRoot: tmpRuns(), stage: 'gan', quiet: true });
    expect(readFileSync(join(cold.runDir, 'log.jsonl'), 'utf8')).toContain('without a pre-trained DAMSM');
    const straight = await train({ config: epochsConfig(2), data, runsRoot: tmpRuns(), quiet: true });
    const a = readWeights(listCheckpoints(warm.runDir).pop()!.dir, 'params');
    const b = readWeights(listCheckpoints(straight.runDir).pop()!.dir, 'params');
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-5);

    // --init-epoch: from an earlier checkpoint than the last, the same as training on from there.
    const third = epochsConfig(3, (c) => (c.name = 'tiny-from-epoch-1'));
    const fromOne = await train({ config: third, data, runsRoot: tmpRuns(), stage: 'gan', initFrom: straight.runDir, initEpoch: 1, quiet: true });
    expect(listCheckpoints(fromOne.runDir).map((c) => c.epoch)).toEqual([2, 3]);
    const c = readWeights(listCheckpoints(fromOne.runDir)[0].dir, 'params');
    expect(maxAbsDiff(c, b)).toBeLessThanOrEqual(1e-5);

    const refused = tmpRuns();
    const wider = epochsConfig(2, (c) => (c.model.ndf = 16));
    await expect(train({ config: wider, data, runsRoot: refused, stage: 'gan', initFrom: source.runDir, quiet: true })).rejects.toThrow(WarmStartError);
    await expect(train({ config: epochsConfig(1), data, runsRoot: refused, stage: 'gan', initFrom: source.runDir, quiet: true })).rejects.toThrow(/above that/);
    await expect(train({ config: onward, data, runsRoot: refused, stage: 'gan', initFrom: source.runDir, initEpoch: 3, quiet: true })).rejects.toThrow(/no epoch-3 checkpoint; it has epochs 1/);
    expect(readdirSync(refused)).toEqual([]); // refused before a run folder is made
  }, 240_000);

  it('that switches the template head on adds it fresh, and its Adam moments count their steps from the warm start', async () => {
    const { data, source } = await oneEpochSource();
    expect([...readWeights(listCheckpoints(source.runDir)[0].dir, 'params').keys()].filter((k) => k.includes('/tcls/'))).toEqual([]);
    const onward = epochsConfig(2, (c) => {
      c.name = 'tiny-tcls-on';
      c.gan.templateClassWeight = 1;
    });
    const warm = await train({ config: onward, data, runsRoot: tmpRuns(), stage: 'gan', initFrom: source.runDir, quiet: true });
    const last = listCheckpoints(warm.runDir).pop()!;
    const head = [...readWeights(last.dir, 'params').keys()].filter((k) => k.includes('/tcls/'));
    expect(head.length).toBeGreaterThan(0);
    const sourceSteps = JSON.parse(readFileSync(join(listCheckpoints(source.runDir)[0].dir, 'state.json'), 'utf8')).adamSteps.d as number;
    const opt = readWeights(last.dir, 'opt_d');
    // Every head variable records the step it joined at (the source's last + 1); nothing else does.
    expect([...opt.keys()].filter((k) => k.startsWith('f:')).map((k) => k.slice(2)).sort()).toEqual([...head].sort());
    for (const k of head) expect(opt.get(`f:${k}`)!.values[0]).toBe(sourceSteps + 1);
    const log = readFileSync(join(warm.runDir, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const tcls = log.filter((r) => r.losses?.d_tcls !== undefined).map((r) => r.losses.d_tcls as number);
    expect(tcls.length).toBeGreaterThan(0);
    expect(tcls.every(Number.isFinite)).toBe(true);
  }, 240_000);

  it("that switches model.fillGate on adds G'_i's gate convs fresh (zero, in the EMA too), and they train", async () => {
    const base = shadedConfig(1);
    const data = await eightImages(base);
    const source = await train({ config: base, data, runsRoot: tmpRuns(), quiet: true });
    const gateKeys = (dir: string, group: 'params' | 'ema') => [...readWeights(dir, group).keys()].filter((k) => k.includes('/fillgate/'));
    expect(gateKeys(listCheckpoints(source.runDir)[0].dir, 'params')).toEqual([]);
    const onward = shadedConfig(2, (c) => ((c.name = 'tiny-fill-gate-on'), (c.model.fillGate = true)));
    const warm = await train({ config: onward, data, runsRoot: tmpRuns(), stage: 'gan', initFrom: source.runDir, quiet: true });
    const last = listCheckpoints(warm.runDir).pop()!;
    const gate = gateKeys(last.dir, 'params');
    expect(gate.length).toBe(2 * base.model.imageSizes.length); // a weight and a bias per stage
    expect(gateKeys(last.dir, 'ema').sort()).toEqual([...gate].sort());
    const params = readWeights(last.dir, 'params');
    // Zero-initialised, then moved by G's steps; Adam counts their steps from the warm start.
    expect(gate.some((k) => params.get(k)!.values.some((v) => v !== 0))).toBe(true);
    const sourceSteps = JSON.parse(readFileSync(join(listCheckpoints(source.runDir)[0].dir, 'state.json'), 'utf8')).adamSteps.g as number;
    const opt = readWeights(last.dir, 'opt_g');
    for (const k of gate) expect(opt.get(`f:${k}`)!.values[0]).toBe(sourceSteps + 1);
    // Switching it off again is refused: the trained gates would be dropped.
    const off = shadedConfig(3, (c) => (c.name = 'tiny-fill-gate-off'));
    await expect(train({ config: off, data, runsRoot: tmpRuns(), stage: 'gan', initFrom: warm.runDir, quiet: true })).rejects.toThrow(/model\.fillGate/);
  }, 240_000);
});

describe('what a warm start may change', () => {
  const withWeights = (classWeight: number, templateClassWeight: number) =>
    epochsConfig(2, (c) => {
      c.gan.classWeight = classWeight;
      c.gan.templateClassWeight = templateClassWeight;
    });

  it("lets a class head's weight change, and a head be switched on (fresh), but not off", () => {
    expect(fixedWarmStartKeys(withWeights(4, 0), withWeights(8, 0))).toEqual([]);
    expect(fixedWarmStartKeys(withWeights(4, 2), withWeights(4, 1))).toEqual([]);
    expect(fixedWarmStartKeys(withWeights(0, 0), withWeights(8, 0))).toEqual([]);
    expect(fixedWarmStartKeys(withWeights(4, 0), withWeights(4, 2))).toEqual([]);
    expect(fixedWarmStartKeys(withWeights(4, 2), withWeights(4, 0))).toEqual(['gan.templateClassWeight']);
    expect(fixedWarmStartKeys(withWeights(4, 2), withWeights(0, 2))).toEqual(['gan.classWeight']);
    expect(fixedWarmStartKeys(withWeights(4, 0), epochsConfig(2, (c) => ((c.gan.classWeight = 4), (c.model.ndf = 16))))).toEqual(['model.ndf']);
  });

  it("lets the template head's upper-stage copies be switched on, but not off while the head stays", () => {
    const patches = (weight: number, on: boolean) =>
      epochsConfig(2, (c) => {
        c.gan.templateClassWeight = weight;
        c.gan.templateClassPatches = on;
      });
    expect(fixedWarmStartKeys(patches(2, false), patches(2, true))).toEqual([]);
    expect(fixedWarmStartKeys(patches(2, true), patches(1, true))).toEqual([]);
    expect(fixedWarmStartKeys(patches(2, true), patches(2, false))).toEqual(['gan.templateClassPatches']);
    expect(fixedWarmStartKeys(patches(2, true), patches(0, false))).toEqual(['gan.templateClassWeight']);
  });

  it('lets the seed change unless it picks a subset of the pairs (data.maxPairs)', () => {
    const seeded = (seed: number, maxPairs = 0) =>
      epochsConfig(2, (c) => {
        c.seed = seed;
        c.data.maxPairs = maxPairs;
      });
    expect(fixedWarmStartKeys(seeded(1), seeded(2))).toEqual([]);
    expect(fixedWarmStartKeys(seeded(1, 40), seeded(2, 40))).toEqual(['seed']);
  });

  it('lets model.shadeInk change (it adds no parameters) but no other model key', () => {
    const ink = (on: boolean, blend = 'mask-shade-colour' as const) =>
      epochsConfig(2, (c) => {
        c.model.blend = blend;
        c.model.shadeInk = on;
      });
    expect(fixedWarmStartKeys(ink(false), ink(true))).toEqual([]);
    expect(fixedWarmStartKeys(ink(false), ink(true, 'mask-shade' as 'mask-shade-colour'))).toEqual(['model.blend']);
  });

  /** The shaded tiny config with one model switch set. */
  const shadeSwitch = (key: 'colourGateWhole' | 'fillGate' | 'shadeFill', on: boolean) => shadedConfig(2, (c) => (c.model[key] = on));

  it('lets model.colourGateWhole change (the gate reads another input, no new parameters)', () => {
    expect(fixedWarmStartKeys(shadeSwitch('colourGateWhole', false), shadeSwitch('colourGateWhole', true))).toEqual([]);
  });

  it("lets model.fillGate be switched on (its gates start at the old shade), not off", () => {
    expect(fixedWarmStartKeys(shadeSwitch('fillGate', false), shadeSwitch('fillGate', true))).toEqual([]);
    expect(fixedWarmStartKeys(shadeSwitch('fillGate', true), shadeSwitch('fillGate', false))).toEqual(['model.fillGate']);
  });

  it('lets model.shadeFill change too (it adds no parameters)', () => {
    expect(fixedWarmStartKeys(shadeSwitch('shadeFill', false), shadeSwitch('shadeFill', true))).toEqual([]);
  });
});
