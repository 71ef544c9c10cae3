import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolveArchitecture } from '../../../model/registry';
import { buildFeedArrays } from '../../../model/runtime/feeds';
import { runPipeline } from '../../../model/runtime/pipeline';
import { tokenize } from '../../../model/text/tokenizer';
import { eagerForward } from '../../../training/export/reference';
import { loadNodePipeline, openNodeModel, readModelWeights, templatePatterns } from '../../../training/export/node-model';

const MODELS = readdirSync('public/models').filter((d) => statSync(join('public/models', d)).isDirectory());

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe.each(MODELS)('exported %s graphs vs the shared model definition', (name) => {
  const manifestPath = join('public/models', name, 'manifest.json');
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('every image and attention output matches the eager forward pass to 1e-3', async () => {
    const model = openNodeModel(manifestPath);
    const m = model.manifest;
    const tok = tokenize('别说了我脸红了', model.segment, model.vocab, m.tokenizer.settings);
    const feeds = buildFeedArrays(tok.ids, tok.mask, [7, 8], m.zDim, templatePatterns(model, m.templates[0].id));
    const graph = await runPipeline(await loadNodePipeline(model), feeds);
    const cfg = (m.config as { model: unknown }).model;
    const eager = await eagerForward(resolveArchitecture(m.architecture, cfg), cfg, readModelWeights(model), feeds);
    expect(graph.stages.map((s) => s.size)).toEqual(m.imageSizes);
    const diffs: Record<string, number> = {};
    for (const stage of graph.stages) diffs[`image_${stage.size}`] = maxAbsDiff(stage.image, eager.get(`image_${stage.size}`)!.data);
    for (const [k, v] of Object.entries(graph.attention)) diffs[k] = maxAbsDiff(v.data, eager.get(k)!.data);
    // 1e-3 is 1/8 of one 8-bit display level. Random-weight exports match to ~1e-6; the trained
    // default's image_64 differs by 4.9e-4 (its 128/256 outputs by 2e-5), summation order over
    // trained weights in float32. A wrong op or weight shows up as ≥ 1e-2.
    for (const [k, d] of Object.entries(diffs)) expect(d, k).toBeLessThan(1e-3);
  });

  it('fails when the definition changes but the export does not', async () => {
    const model = openNodeModel(manifestPath);
    const m = model.manifest;
    const cfg = (m.config as { model: Record<string, unknown> }).model;
    // A different vocabulary size changes the embedding's shape in every architecture.
    const changed = { ...cfg, vocabSize: (cfg.vocabSize as number) + 1 };
    const tok = tokenize('笑哭了', model.segment, model.vocab, m.tokenizer.settings);
    const feeds = buildFeedArrays(tok.ids, tok.mask, [1], m.zDim, templatePatterns(model, m.templates[0].id));
    await expect(eagerForward(resolveArchitecture(m.architecture, changed), changed, readModelWeights(model), feeds)).rejects.toThrow(/shape/);
  });
});
