import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveArchitecture } from '../../../model/registry';
import { buildFeedArrays } from '../../../model/runtime/feeds';
import { runPipeline } from '../../../model/runtime/pipeline';
import { tokenize } from '../../../model/text/tokenizer';
import { exportRun } from '../../../training/export/export-run';
import { loadNodePipeline, openNodeModel, readModelWeights, templatePatterns } from '../../../training/export/node-model';
import { eagerForward } from '../../../training/export/reference';
import { listCheckpoints, loadExportWeights, runModelConfig } from '../../../training/train/checkpoint';
import { train } from '../../../training/train/trainer';
import { backend, eightImages, tinyConfig, tmpRuns, removeTmpRuns } from '../train/helpers';

/**
 * A trained run end to end: npm run train's checkpoint (EMA weights) → the exporter's float32
 * graphs → tfjs' graph executor, against the shared definition run eagerly with the same weights.
 */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('a trained MemeFace run exports to graphs that match the eager model', () => {
  afterAll(() => removeTmpRuns());
  let out: string;
  beforeAll(async () => {
    await backend();
    out = mkdtempSync(join(tmpdir(), 'memeface-run-export-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('float32 export of the last checkpoint: images and attention within 1e-4', async () => {
    const cfg = tinyConfig((c) => {
      c.damsm.epochs = 1;
      c.gan.epochs = 2;
    });
    const run = await train({ config: cfg, data: await eightImages(cfg), runsRoot: tmpRuns(), quiet: true });
    const last = listCheckpoints(run.runDir).pop()!;
    const exported = await exportRun({ runDir: run.runDir, name: 'test', outDir: out, finalPrecision: 'float32', timelinePrecision: 'float32', maxTimeline: 0 });
    expect(exported.architecture).toBe('memeface');
    expect(exported.imageSizes).toEqual(cfg.model.imageSizes);
    const model = openNodeModel(join(out, 'manifest.json'));
    const m = model.manifest;
    const tok = tokenize('别说了我脸红了', model.segment, model.vocab, m.tokenizer.settings);
    const feeds = buildFeedArrays(tok.ids, tok.mask, [3, 4], m.zDim, templatePatterns(model, m.templates[0].id));
    const graph = await runPipeline(await loadNodePipeline(model), feeds);
    const mcfg = runModelConfig(run.runDir);
    // The exported weights are the checkpoint's EMA weights, name for name.
    const weights = loadExportWeights(last.dir);
    const inGraph = readModelWeights(model);
    for (const [k, w] of weights) expect(maxAbsDiff(inGraph.get(k)?.values ?? [], w.values)).toBe(0);
    expect([...inGraph.keys()].filter((k) => k.includes('/')).sort()).toEqual([...weights.keys()].sort());
    await tf.setBackend('cpu');
    const eager = await eagerForward(resolveArchitecture('memeface', mcfg), mcfg, weights, feeds);
    for (const s of graph.stages) expect(maxAbsDiff(s.image, eager.get(`image_${s.size}`)!.data)).toBeLessThan(1e-4);
    expect(Object.keys(graph.attention)).toEqual([`attn_${cfg.model.imageSizes[1]}`]);
    for (const [k, v] of Object.entries(graph.attention)) expect(maxAbsDiff(v.data, eager.get(k)!.data)).toBeLessThan(1e-4);
  });

  it("a warm start's timeline draws each checkpoint through the graph of the run that saved it", async () => {
    const shading = (ink: boolean, epochs: number) =>
      tinyConfig((c) => {
        c.damsm.epochs = 1;
        c.gan.epochs = epochs;
        c.model.blend = 'mask-shade-colour';
        c.model.shadeInk = ink;
      });
    await tf.setBackend(await backend()); // the test above left the eager reference's cpu backend on
    const source = shading(false, 1);
    const data = await eightImages(source);
    const first = await train({ config: source, data, runsRoot: tmpRuns(), quiet: true });
    const onward = await train({ config: shading(true, 2), data, runsRoot: tmpRuns(), stage: 'gan', initFrom: first.runDir, quiet: true });
    const dir = mkdtempSync(join(tmpdir(), 'memeface-warm-export-'));
    try {
      const exported = await exportRun({ runDir: onward.runDir, name: 'test', outDir: dir, finalPrecision: 'float32', timelinePrecision: 'float32', maxTimeline: 0 });
      expect(exported.checkpoints.map((c) => c.epoch)).toEqual([1, 2]);
      // The manifest says how the source's checkpoint differs, so the app's log can show it.
      expect(exported.checkpoints.map((c) => c.settings)).toEqual([['shadeInk: false'], undefined]);
      const model = openNodeModel(join(dir, 'manifest.json'));
      const m = model.manifest;
      const tok = tokenize('笑死我了', model.segment, model.vocab, m.tokenizer.settings);
      const feeds = buildFeedArrays(tok.ids, tok.mask, [5], m.zDim, templatePatterns(model, m.templates[0].id));
      const timeline = await runPipeline(await loadNodePipeline(model, 0), feeds);
      const weights = loadExportWeights(listCheckpoints(first.runDir)[0].dir);
      await tf.setBackend('cpu');
      const eagerImages = async (runDir: string) => {
        const mcfg = runModelConfig(runDir);
        return eagerForward(resolveArchitecture('memeface', mcfg), mcfg, weights, feeds);
      };
      const own = await eagerImages(first.runDir); // black shade, as it trained
      const final = await eagerImages(onward.runDir); // the ink shade of the run that went on
      for (const s of timeline.stages) {
        expect(maxAbsDiff(s.image, own.get(`image_${s.size}`)!.data)).toBeLessThan(1e-4);
        expect(maxAbsDiff(s.image, final.get(`image_${s.size}`)!.data)).toBeGreaterThan(1e-4);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
