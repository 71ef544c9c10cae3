import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getArchitecture } from '../../../model/registry';
import { buildFeedArrays } from '../../../model/runtime/feeds';
import { runPipeline } from '../../../model/runtime/pipeline';
import { tokenize } from '../../../model/text/tokenizer';
import { eagerForward } from '../../../training/export/reference';
import { loadNodePipeline, openNodeModel, readModelWeights, templatePatterns } from '../../../training/export/node-model';

const MANIFEST = 'public/models/spine/manifest.json';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('exported graph vs the shared model definition', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('float32 graphs match the eager forward pass to 1e-4', async () => {
    const model = openNodeModel(MANIFEST);
    const m = model.manifest;
    const tok = tokenize('别说了我脸红了', model.segment, model.vocab, m.tokenizer.settings);
    const feeds = buildFeedArrays(tok.ids, tok.mask, [7, 8], m.zDim, templatePatterns(model, m.templates[0].id));
    const graph = await runPipeline(await loadNodePipeline(model), feeds);
    const arch = getArchitecture(m.architecture);
    const eager = await eagerForward(arch, (m.config as { model: unknown }).model, readModelWeights(model), feeds);
    for (const stage of graph.stages) {
      const ref = eager.get(`image_${stage.size}`)!;
      expect(maxAbsDiff(stage.image, ref.data)).toBeLessThan(1e-4);
    }
  });

  it('fails when the definition changes but the export does not', async () => {
    const model = openNodeModel(MANIFEST);
    const m = model.manifest;
    const cfg = { ...(m.config as { model: Record<string, number> }).model, channels: 16 };
    const tok = tokenize('笑哭了', model.segment, model.vocab, m.tokenizer.settings);
    const feeds = buildFeedArrays(tok.ids, tok.mask, [1], m.zDim, templatePatterns(model, m.templates[0].id));
    await expect(eagerForward(getArchitecture(m.architecture), cfg, readModelWeights(model), feeds)).rejects.toThrow(/shape/);
  });
});
