import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../../training/export/export-run';
import { openNodeModel, readModelWeights } from '../../../training/export/node-model';
import { ExportStartError, readExportStart, type ExportStart } from '../../../training/train/export-start';
import { listCheckpoints, readRunVocab, readWeights } from '../../../training/train/checkpoint';
import { ConfigError, resolveConfig } from '../../../training/train/config';
import { disposeBatch, epochOrder, train } from '../../../training/train/trainer';
import { backend, eightImages, eightImageTrainer, removeTmpRuns, tinyConfig, tmpRuns } from './helpers';

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('npm run train -- --init-from-export: a new run from an exported model', () => {
  let exportDir: string;
  let start: ExportStart;
  const cfg = tinyConfig((c) => {
    c.damsm.epochs = 1;
    c.gan.epochs = 1;
    c.gan.trainTextEncoder = true;
  });

  beforeAll(async () => {
    await backend();
    const source = await train({ config: cfg, data: await eightImages(cfg), runsRoot: tmpRuns(), quiet: true });
    exportDir = mkdtempSync(join(tmpdir(), 'memeface-export-start-'));
    await exportRun({ runDir: source.runDir, name: 'source', outDir: exportDir, finalPrecision: 'float16', timelinePrecision: 'uint8', maxTimeline: 0 });
    start = readExportStart(exportDir, cfg);
  }, 300_000);
  afterAll(() => {
    removeTmpRuns();
    rmSync(exportDir, { recursive: true, force: true });
  });

  it('refuses a config that builds other networks, naming the keys', () => {
    const wider = tinyConfig((c) => (c.model.channels = [16, 16]));
    expect(() => readExportStart(exportDir, wider)).toThrow(ExportStartError);
    expect(() => readExportStart(exportDir, wider)).toThrow(/model\.channels: export \[16,8\], config \[16,16\]/);
    expect(() => readExportStart(join(exportDir, 'nothing-here'), cfg)).toThrow(/no manifest\.json/);
    // How the edit mask is read adds no parameters: a branch may train with a sharper one.
    const sharper = tinyConfig((c) => (c.model.editSharpness = { gain: 4, threshold: 0.3 }));
    expect(readExportStart(exportDir, sharper).weights.size).toBe(start.weights.size);
  });

  it('lets the keys a warm start may change without new parameters differ (shadeInk, shadeFill, colourGateWhole), not fillGate', () => {
    for (const key of ['shadeInk', 'shadeFill', 'colourGateWhole'] as const) {
      const flipped = tinyConfig((c) => (c.model[key] = !cfg.model[key]));
      expect(readExportStart(exportDir, flipped).weights.size, key).toBe(start.weights.size);
    }
    const gated = tinyConfig((c) => (c.model.fillGate = !cfg.model.fillGate));
    expect(() => readExportStart(exportDir, gated)).toThrow(/model\.fillGate: export (false|true), config (true|false)/);
  });

  it('starts G, the text encoder and their EMA at the export; the DAMSM phase trains the image encoder alone', async () => {
    const trainer = await eightImageTrainer(cfg);
    try {
      trainer.loadGeneratorWeights(start.weights);
      trainer.freezeTextInDamsm = true;
      const names = ['text/', 'gen/'].flatMap((p) => trainer.names(p));
      expect(names.length).toBeGreaterThan(10);
      const live = await trainer.weights(['text/', 'gen/']);
      const ema = await trainer.exportWeights();
      for (const n of names) {
        expect(maxAbsDiff(live.get(n)!.values, start.weights.get(n)!.values), n).toBe(0);
        expect(maxAbsDiff(ema.get(n)!.values, start.weights.get(n)!.values), n).toBe(0);
      }
      const damsmBefore = await trainer.weights(['damsm/']);
      const b = trainer.makeBatch(epochOrder(trainer.pairCount, 1, 'damsm', 0).slice(0, 4), 'damsm', 0);
      await trainer.damsmStep(b);
      disposeBatch(b);
      const text = await trainer.weights(['text/']);
      for (const [n, w] of text) expect(maxAbsDiff(w.values, start.weights.get(n)!.values), n).toBe(0);
      const damsmAfter = await trainer.weights(['damsm/']);
      expect(Math.max(...[...damsmAfter].map(([n, w]) => maxAbsDiff(w.values, damsmBefore.get(n)!.values)))).toBeGreaterThan(1e-4);
    } finally {
      await trainer.dispose();
    }
  });

  it('runs both phases with the export\'s vocabulary and can be exported again; other starts are refused', async () => {
    const r = await train({ config: cfg, data: await eightImages(cfg), runsRoot: tmpRuns(), quiet: true, initFromExport: start });
    expect(r.stopped).toBe('done');
    expect(readRunVocab(r.runDir).words).toEqual(start.vocab.words);
    expect(r.records.some((x) => x.phase === 'damsm')).toBe(true);
    expect(r.records.filter((x) => x.phase === 'gan').every((x) => Number.isFinite(x.losses.g))).toBe(true);
    const again = mkdtempSync(join(tmpdir(), 'memeface-export-start-again-'));
    try {
      const m = await exportRun({ runDir: r.runDir, name: 'again', outDir: again, finalPrecision: 'float16', timelinePrecision: 'uint8', maxTimeline: 0 });
      expect(m.tokenizer.vocab).toEqual(start.vocab.words);
      // The timeline: the export's own checkpoints (same weights), then the run's, numbered on from the export's last.
      const source = openNodeModel(join(exportDir, 'manifest.json'));
      const sourceLast = source.manifest.checkpoints.at(-1)!;
      const own = listCheckpoints(r.runDir);
      expect(own.length).toBeGreaterThan(0);
      expect(m.modelVersion).toBe(`${r.runDir.split('/').pop()}@epoch${sourceLast.epoch + own.at(-1)!.epoch}`);
      expect(m.checkpoints.map((c) => [c.epoch, c.step])).toEqual([
        ...source.manifest.checkpoints.map((c) => [c.epoch, c.step]),
        ...own.map((c) => [sourceLast.epoch + c.epoch, sourceLast.step + c.step]),
      ]);
      const exported = openNodeModel(join(again, 'manifest.json'));
      source.manifest.checkpoints.forEach((_, i) => {
        const [a, b] = [readModelWeights(source, i), readModelWeights(exported, i)];
        expect([...b.keys()]).toEqual([...a.keys()]);
        for (const [n, w] of a) expect(maxAbsDiff(b.get(n)!.values, w.values), n).toBe(0);
      });
      // The export it started from, moved: found with sourceExport; another export is refused by its version.
      const moved = mkdtempSync(join(tmpdir(), 'memeface-export-start-moved-'));
      try {
        cpSync(exportDir, moved, { recursive: true });
        const fromMoved = await exportRun({ runDir: r.runDir, name: 'moved', outDir: join(again, 'm'), finalPrecision: 'float16', timelinePrecision: 'uint8', maxTimeline: 0, sourceExport: moved });
        expect(fromMoved.checkpoints.length).toBe(m.checkpoints.length);
        await expect(exportRun({ runDir: r.runDir, name: 'x', outDir: join(again, 'x'), finalPrecision: 'float16', timelinePrecision: 'uint8', maxTimeline: 0, sourceExport: again })).rejects.toThrow(/started from the export .*@epoch\d+ .*--source-export/);
      } finally {
        rmSync(moved, { recursive: true, force: true });
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
    await expect(train({ config: cfg, data: await eightImages(cfg), runsRoot: tmpRuns(), quiet: true, initFromExport: start, stage: 'gan' })).rejects.toThrow(ConfigError);
  }, 300_000);

  it('gan.dWarmupSteps: the first k GAN steps train D alone; G, the text encoder and their EMA stay at the export', async () => {
    expect(resolveConfig({}).gan.dWarmupSteps).toBe(0);
    expect(() => resolveConfig({ gan: { dWarmupSteps: -1 } })).toThrow(/"gan.dWarmupSteps" must not be negative/);
    expect(() => resolveConfig({ gan: { dWarmupSteps: 1.5 } })).toThrow(ConfigError);
    const warm = { ...cfg, gan: { ...cfg.gan, dWarmupSteps: 1000 } };
    const r = await train({ config: warm, data: await eightImages(warm), runsRoot: tmpRuns(), quiet: true, initFromExport: start });
    const last = listCheckpoints(r.runDir).pop()!;
    const params = readWeights(last.dir, 'params');
    const ema = readWeights(last.dir, 'ema');
    for (const n of [...params.keys()].filter((k) => k.startsWith('gen/') || k.startsWith('text/'))) {
      expect(maxAbsDiff(params.get(n)!.values, start.weights.get(n)!.values), n).toBe(0);
      expect(maxAbsDiff(ema.get(n)!.values, start.weights.get(n)!.values), n).toBe(0);
    }
    // D did train: its weights differ from a run whose D was never updated (the same seed's init).
    const fresh = await eightImageTrainer(warm);
    try {
      const d0 = await fresh.weights(['disc/']);
      expect(Math.max(...[...d0].map(([n, w]) => maxAbsDiff(params.get(n)!.values, w.values)))).toBeGreaterThan(1e-4);
    } finally {
      await fresh.dispose();
    }
  }, 300_000);
});
