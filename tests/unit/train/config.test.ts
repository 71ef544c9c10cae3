import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ConfigMismatchError, DEFAULT_CONFIG, loadConfigFile, parseEditSharpness, resolveConfig } from '../../../training/train/config';
import { train } from '../../../training/train/trainer';
import { ParameterShapeError, VariableStore } from '../../../model/ops/eager';
import { readWeights } from '../../../training/train/checkpoint';
import { backend, eightImages, tinyConfig, tmpRuns, removeTmpRuns } from './helpers';

describe('run config', () => {
  afterAll(() => removeTmpRuns());
  it('every shipped config resolves', () => {
    for (const f of readdirSync('training/configs').filter((x) => x.endsWith('.json'))) {
      const c = loadConfigFile(f.replace(/\.json$/, ''));
      expect(c.name).toBe(f.replace(/\.json$/, ''));
    }
  });

  it('fills defaults (the paper setting) and keeps overrides', () => {
    const c = resolveConfig({ gan: { epochs: 3 } });
    expect(c.gan.epochs).toBe(3);
    expect(c.gan.lrG).toBe(2e-4);
    expect([c.gan.beta1, c.gan.beta2]).toEqual([0.5, 0.999]);
    expect(c.gan.batchSize).toBe(14);
    expect(c.checkpointEvery).toBe(5);
    expect(c.model.imageSizes).toEqual([64, 128, 256]);
    expect(DEFAULT_CONFIG.gan.epochs).toBe(600); // defaults are not mutated
  });

  it('rejects unknown keys, naming the key and the known ones', () => {
    expect(() => resolveConfig({ gan: { lrr: 0.1 } }, 'x.json')).toThrow(ConfigError);
    expect(() => resolveConfig({ gan: { lrr: 0.1 } }, 'x.json')).toThrow(/x\.json: unknown key "gan\.lrr"\. Known keys here: .*lrG/);
    expect(() => resolveConfig({ modle: {} })).toThrow(/unknown key "modle"/);
  });

  it('rejects wrong types, enums, non-integers and negative values with the dotted path', () => {
    expect(() => resolveConfig({ gan: { lrG: '0.1' } })).toThrow(/"gan\.lrG" must be a number, got string "0\.1"/);
    expect(() => resolveConfig({ gan: { loss: 'wgan' } })).toThrow(/"gan\.loss" must be one of "bce", "hinge", got "wgan"/);
    expect(() => resolveConfig({ gan: { batchSize: 2.5 } })).toThrow(/"gan\.batchSize" must be an integer/);
    expect(() => resolveConfig({ model: { imageSizes: [64, '128'] } })).toThrow(/"model\.imageSizes\[1\]" must be a number/);
    expect(() => resolveConfig({ model: { templateSkip: 'yes' } })).toThrow(/"model\.templateSkip" must be a boolean/);
    expect(() => resolveConfig({ gan: { lrD: -1 } })).toThrow(/must not be negative/);
    expect(() => resolveConfig({ data: 'corpus' })).toThrow(/"data" must be an object/);
    expect(() => resolveConfig({ gan: { ema: 1 } })).toThrow(/"gan\.ema" must be < 1/);
    expect(() => resolveConfig({ gan: { diffAugmentPolicy: 'flip' } })).toThrow(/"gan\.diffAugmentPolicy" must be one of "colour-translation-cutout", "translation", got "flip"/);
    expect(() => resolveConfig({ gan: { diffAugmentPolicy: 'translation' } })).toThrow(/"gan\.diffAugment" is false/);
  });

  it('rejects inconsistent model settings', () => {
    expect(() => resolveConfig({ model: { channels: [8, 8] } })).toThrow(/channels needs one entry per stage/);
    expect(() => resolveConfig({ model: { zDim: 10 } })).toThrow(/zDim/);
    // An export option, never trained: the message says where it belongs.
    expect(() => resolveConfig({ model: { blend: 'mask-shade', snapMono: true } }, 'x.json')).toThrow(/x\.json: "model\.snapMono" is an export option.*npm run export -- --run <run> --snap-mono/);
    expect(() => resolveConfig({ model: { coarseFromBelow: false } })).toThrow(/"model\.coarseFromBelow" is an export option.*--coarse-from-below/);
  });

  it('model.editSharpness is optional: absent, a config resolves as before; set, it is checked and kept', () => {
    const mask = { blend: 'mask-shade' };
    expect('editSharpness' in resolveConfig({ model: mask }).model).toBe(false);
    expect(resolveConfig({ model: { ...mask, editSharpness: { gain: 4, threshold: 0.3 } } }).model.editSharpness).toEqual({ gain: 4, threshold: 0.3 });
    expect(() => resolveConfig({ model: { ...mask, editSharpness: { gain: 4 } } }, 'x.json')).toThrow(/x\.json: "model\.editSharpness" must be an object \{ "gain": <number>, "threshold": <number> \}/);
    expect(() => resolveConfig({ model: { ...mask, editSharpness: { gain: 4, threshold: 0.3, centre: 1 } } })).toThrow(/must be an object/);
    expect(() => resolveConfig({ model: { ...mask, editSharpness: { gain: 4, threshold: 2 } } })).toThrow(/editSharpness\.threshold must lie strictly between 0 and 1/);
    expect(() => resolveConfig({ model: { blend: 'none', editSharpness: { gain: 4, threshold: 0.3 } } })).toThrow(/editSharpness needs a mask blend/);
  });

  it('reads --sharpen-edits as <gain>@<threshold>', () => {
    expect(parseEditSharpness('4@0.3')).toEqual({ gain: 4, threshold: 0.3 });
    expect(parseEditSharpness(' 8@.25 ')).toEqual({ gain: 8, threshold: 0.25 });
    for (const bad of ['4', '4@', '@0.3', '4,0.3', '-4@0.3']) expect(() => parseEditSharpness(bad)).toThrow(/--sharpen-edits takes <gain>@<threshold>, for example 4@0\.3/);
  });

  it('a config file with a mistake names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memeface-cfg-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ gan: { epochz: 1 } }));
    expect(() => loadConfigFile(join(dir, 'bad.json'))).toThrow(/bad\.json: unknown key "gan\.epochz"/);
    writeFileSync(join(dir, 'broken.json'), '{ "gan": ');
    expect(() => loadConfigFile(join(dir, 'broken.json'))).toThrow(/not valid JSON/);
    expect(() => loadConfigFile('no-such-config')).toThrow(/No config "no-such-config"/);
  });

  it('resuming a run with a different config is rejected, naming what differs', async () => {
    await backend();
    const cfg = tinyConfig((c) => {
      c.damsm.epochs = 1;
      c.gan.epochs = 1;
    });
    const data = await eightImages(cfg);
    const r = await train({ config: cfg, data, runsRoot: tmpRuns(), quiet: true, stage: 'damsm' });
    const other = tinyConfig((c) => {
      c.damsm.epochs = 1;
      c.gan.epochs = 1;
      c.model.channels = [8, 8];
    });
    await expect(train({ config: other, data, resumeDir: r.runDir, quiet: true })).rejects.toThrow(ConfigMismatchError);
    await expect(train({ config: other, data, resumeDir: r.runDir, quiet: true })).rejects.toThrow(/model\.channels differ/);
    // Weights of one model config do not load into another.
    const store = new VariableStore(1);
    store.get('text/embed', [3, 4], { kind: 'zeros' });
    const w = readWeights(join(r.runDir, 'checkpoints', 'damsm_0001'), 'params');
    expect(() => store.load(new Map([['text/embed', w.get('text/embed')!]]))).toThrow(ParameterShapeError);
    store.dispose();
  });
});
