import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveArchitecture } from '../../../model/registry';
import { buildFeedArrays } from '../../../model/runtime/feeds';
import { runPipeline } from '../../../model/runtime/pipeline';
import type { WeightPrecision } from '../../../model/ops/serialize';
import { tokenize } from '../../../model/text/tokenizer';
import { loadNodePipeline, openNodeModel, readModelWeights, templatePatterns } from '../../../training/export/node-model';
import { exportRandomModel } from '../../../training/export/random-export';
import { eagerForward } from '../../../training/export/reference';
import { attentionSheet } from '../../../training/generate/attention-sheet';
import { ARCHITECTURE_TEST_CONFIGS } from './architecture-configs';
import type { WeightMap } from '../../../training/export/record';

/**
 * MemeFaceGenerator's exported graphs (text encoder + 3 stages with attention outputs) against the
 * eager forward pass, in each weight precision. float16 and uint8 are compared with the float32
 * export, so the figure is the precision loss alone. Bounds: float16 ≤ 1e-2, uint8 ≤ 2e-1.
 */
const BOUNDS: Record<WeightPrecision, number> = { float32: 1e-4, float16: 1e-2, uint8: 2e-1 };
let tmp: string;

/** A pattern's grey version (the mean of its channels): a monochrome template. */
function greyPatterns(patterns: Record<number, Float32Array>): Record<number, Float32Array> {
  const grey = (p: Float32Array) => p.map((_, j) => (p[j - (j % 3)] + p[j - (j % 3) + 1] + p[j - (j % 3) + 2]) / 3);
  return Object.fromEntries(Object.entries(patterns).map(([s, p]) => [s, grey(p)]));
}

/** Opens every edit mask and darkens every shade, so that the random model's edits move pixels far. */
function boldEdits(weights: WeightMap): void {
  for (const [name, w] of weights) {
    if (/^gen\/edit\d\/mask\/b/.test(name)) w.values.fill(4);
    if (/^gen\/edit\d\/shade\/b/.test(name)) w.values.fill(-0.6);
  }
}

async function exportAndRun(precision: WeightPrecision, overrides: object = {}, folder: string = precision, mono = false) {
  const { vocabSize: _v, maxTokens: _m, ...base } = ARCHITECTURE_TEST_CONFIGS.memeface;
  const partial = { ...base, ...overrides };
  const dir = join(tmp, folder);
  await exportRandomModel('memeface', partial, dir, precision, 3, 'random-memeface', mono ? boldEdits : undefined);
  const model = openNodeModel(join(dir, 'manifest.json'));
  const m = model.manifest;
  const tok = tokenize('别说了我脸红了', model.segment, model.vocab, m.tokenizer.settings);
  const patterns = templatePatterns(model, 'noto');
  const feeds = buildFeedArrays(tok.ids, tok.mask, [5, 6], m.zDim, mono ? greyPatterns(patterns) : patterns);
  const graph = await runPipeline(await loadNodePipeline(model), feeds);
  return { model, feeds, graph, tokens: tok.tokens };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('MemeFaceGenerator export', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    tmp = mkdtempSync(join(tmpdir(), 'memeface-export-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('float32 graphs (images and attention maps) match the eager forward pass to 1e-4', async () => {
    const { model, feeds, graph, tokens } = await exportAndRun('float32');
    const cfg = (model.manifest.config as { model: unknown }).model;
    const eager = await eagerForward(resolveArchitecture('memeface', cfg), cfg, readModelWeights(model), feeds);
    expect(graph.stages.map((s) => s.size)).toEqual([16, 32, 64]);
    expect(Object.keys(graph.attention).sort()).toEqual(['attn_32', 'attn_64']);
    for (const s of graph.stages) expect(maxAbsDiff(s.image, eager.get(`image_${s.size}`)!.data)).toBeLessThan(BOUNDS.float32);
    for (const [k, v] of Object.entries(graph.attention)) expect(maxAbsDiff(v.data, eager.get(k)!.data)).toBeLessThan(BOUNDS.float32);
    const sheet = await attentionSheet(graph, tokens);
    expect(sheet.byteLength).toBeGreaterThan(1000);
  });

  it.each([
    ['the palette blend', 'palette', { blend: 'palette' }],
    ['shading toward the template\'s ink with a free colour', 'ink', { blend: 'mask-shade-colour', shadeInk: true }],
    ['shading between the template\'s ink and fill with a free colour', 'ink-fill', { blend: 'mask-shade-colour', shadeInk: true, shadeFill: true }],
    ['shading toward the template\'s ink, and toward white or its fill by a gate, with a free colour', 'fill-gate', { blend: 'mask-shade-colour', shadeInk: true, fillGate: true }],
    ['upper stages over the coarse picture of the stage below', 'coarse', { blend: 'mask-shade-colour', shadeInk: true, coarseFromBelow: true }],
  ])("%s: the graphs match the eager forward pass to 1e-4 too", async (_label, folder, overrides) => {
    const { model, feeds, graph } = await exportAndRun('float32', overrides, folder);
    const cfg = (model.manifest.config as { model: unknown }).model;
    expect(cfg).toMatchObject(overrides);
    const eager = await eagerForward(resolveArchitecture('memeface', cfg), cfg, readModelWeights(model), feeds);
    for (const s of graph.stages) expect(maxAbsDiff(s.image, eager.get(`image_${s.size}`)!.data)).toBeLessThan(BOUNDS.float32);
  });

  it('snapMono on a monochrome template: the graphs match the eager forward pass, and the snap acts', async () => {
    const overrides = { blend: 'mask-shade-colour', shadeInk: true, snapMono: true };
    const { model, feeds, graph } = await exportAndRun('float32', overrides, 'snap', true);
    const cfg = (model.manifest.config as { model: Record<string, unknown> }).model;
    expect(cfg).toMatchObject(overrides);
    const weights = readModelWeights(model);
    const eager = await eagerForward(resolveArchitecture('memeface', cfg), cfg, weights, feeds);
    const unsnapped = await eagerForward(resolveArchitecture('memeface', { ...cfg, snapMono: false }), { ...cfg, snapMono: false }, weights, feeds);
    // The steps are steep (gain 100), so a value within ~1e-6 of a threshold may differ more than
    // the smooth graphs do; all but one in a thousand must match to 1e-4.
    for (const s of graph.stages) {
      const e = eager.get(`image_${s.size}`)!.data;
      let off = 0;
      for (let j = 0; j < e.length; j++) if (Math.abs(s.image[j] - e[j]) > BOUNDS.float32) off++;
      expect(off).toBeLessThanOrEqual(e.length / 1000);
      expect(maxAbsDiff(e, unsnapped.get(`image_${s.size}`)!.data)).toBeGreaterThan(0.1); // the snap changed something
    }
  });

  it('editSharpness: the graphs match the eager forward pass, and the sharper mask changes the picture', async () => {
    const overrides = { blend: 'mask-shade-colour', shadeInk: true, editSharpness: { gain: 4, threshold: 0.3 } };
    const { model, feeds, graph } = await exportAndRun('float32', overrides, 'sharp');
    const cfg = (model.manifest.config as { model: Record<string, unknown> }).model;
    expect(cfg).toMatchObject(overrides);
    const weights = readModelWeights(model);
    const eager = await eagerForward(resolveArchitecture('memeface', cfg), cfg, weights, feeds);
    const { editSharpness: _, ...soft } = cfg;
    const trained = await eagerForward(resolveArchitecture('memeface', soft), soft, weights, feeds);
    for (const s of graph.stages) {
      expect(maxAbsDiff(s.image, eager.get(`image_${s.size}`)!.data)).toBeLessThan(BOUNDS.float32);
      expect(maxAbsDiff(s.image, trained.get(`image_${s.size}`)!.data)).toBeGreaterThan(1e-3);
    }
  });

  it('float16 and uint8 weights stay within their stated bounds', async () => {
    const ref = (await exportAndRun('float32')).graph.stages.at(-1)!.image;
    for (const p of ['float16', 'uint8'] as const) {
      const out = (await exportAndRun(p)).graph.stages.at(-1)!.image;
      const d = maxAbsDiff(out, ref);
      console.log(`memeface ${p}: max abs diff of the 64 px image ${d.toExponential(2)} (bound ${BOUNDS[p]})`);
      expect(d).toBeLessThan(BOUNDS[p]);
    }
  });
});
