import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeedArrays } from '../../../model/runtime/feeds';
import { runPipeline } from '../../../model/runtime/pipeline';
import { tokenize } from '../../../model/text/tokenizer';
import { serializeGraphModel, type WeightPrecision } from '../../../model/ops/serialize';
import { createGraphOps, GraphBuilder, GraphParams } from '../../../model/ops/graph';
import { loadNodePipeline, openNodeModel, templatePatterns } from '../../../training/export/node-model';
import { exportSpine } from '../../../training/spine/export-spine';

/**
 * Loss of precision of float16 and uint8 weights, measured on the same model and inputs.
 * Bounds (images in [-1, 1]): float16 ≤ 2e-3, uint8 ≤ 5e-2 max abs difference per pixel.
 */
const BOUNDS: Record<WeightPrecision, number> = { float32: 1e-6, float16: 2e-3, uint8: 5e-2 };
let tmp: string;

async function render(precision: WeightPrecision): Promise<Float32Array> {
  const dir = join(tmp, precision);
  await exportSpine(dir, precision, 7, precision);
  const model = openNodeModel(join(dir, 'manifest.json'));
  const m = model.manifest;
  const tok = tokenize('笑哭了', model.segment, model.vocab, m.tokenizer.settings);
  const feeds = buildFeedArrays(tok.ids, tok.mask, [3, 4], m.zDim, templatePatterns(model, 'twemoji'));
  const r = await runPipeline(await loadNodePipeline(model), feeds);
  return r.stages[0].image;
}

describe('weight precision', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    tmp = mkdtempSync(join(tmpdir(), 'memeface-precision-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('float16 and uint8 stay within their stated bounds of float32', async () => {
    const ref = await render('float32');
    for (const p of ['float16', 'uint8'] as const) {
      const out = await render(p);
      let max = 0;
      for (let i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(out[i] - ref[i]));
      console.log(`precision ${p}: max abs diff ${max.toExponential(2)} (bound ${BOUNDS[p]})`);
      expect(max).toBeLessThan(BOUNDS[p]);
      expect(max).toBeGreaterThan(0); // the quantised weights really were used
    }
  });
});

describe('what an export quantises', () => {
  it('trained parameters at the export precision; the numbers the model code writes (ops.scalar) stay float32', () => {
    const logit03 = Math.log(0.3 / 0.7); // not a float16 number: editSharpness's threshold
    const g = new GraphBuilder();
    const o = createGraphOps(g);
    const p = new GraphParams(g, new Map([['w', { shape: [2], values: Float32Array.of(logit03, 1) }]]));
    o.output(o.mul(p.get('w', [2], { kind: 'zeros' }), o.scalar(logit03)), 'y');
    for (const precision of ['float16', 'uint8'] as const) {
      const { json, bin } = serializeGraphModel(g, 'w.bin', precision);
      const [param, scalar] = json.weightsManifest[0].weights;
      expect(param).toMatchObject({ name: 'w', quantization: { dtype: precision } });
      expect(scalar.quantization).toBeUndefined();
      const bytes = precision === 'float16' ? 4 : 2; // the parameter's two values
      expect(new Float32Array(bin.slice(bytes, bytes + 4).buffer)[0]).toBe(Math.fround(logit03));
    }
  });
});
