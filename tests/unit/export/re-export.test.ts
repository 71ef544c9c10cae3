import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../../model/manifest';
import { buildFeedArrays } from '../../../model/runtime/feeds';
import { runPipeline } from '../../../model/runtime/pipeline';
import { tokenize } from '../../../model/text/tokenizer';
import { loadNodePipeline, openNodeModel, templatePatterns } from '../../../training/export/node-model';
import { parseSettings, reExport } from '../../../training/export/re-export';

/**
 * `npm run export -- --from-export <model>`: the shipped default re-exported from its own files
 * (the run folder that trained it is gone). Run on the real default, its whole timeline included.
 */
let tmp: string;
const SHIPPED = 'public/models/default';
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
const shaByPath = (m: ModelManifest) => new Map(m.files.map((f) => [f.path, f.sha256]));

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = mkdtempSync(join(tmpdir(), 're-export-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function finalImage(dir: string): Promise<Float32Array> {
  const model = openNodeModel(join(dir, 'manifest.json'));
  const tok = tokenize('笑死我了', model.segment, model.vocab, model.manifest.tokenizer.settings);
  const feeds = buildFeedArrays(tok.ids, tok.mask, [3], model.manifest.zDim, templatePatterns(model, 'fluent-color'));
  const out = await runPipeline(await loadNodePipeline(model), feeds);
  return out.stages.at(-1)!.image;
}

describe('re-exporting an export', () => {
  it('with an option it already has, writes the same bytes: weights round-trip at float16 and uint8, graphs record the same', async () => {
    const source = manifestOf(SHIPPED);
    expect(source.config.model).toMatchObject({ snapMono: true });
    const again = await reExport({ from: 'default', name: 'default', outDir: join(tmp, 'same'), exportOptions: { snapMono: true } });
    expect(again.files.length).toBe(source.files.length);
    expect(shaByPath(again)).toEqual(shaByPath(source));
    const { createdAt: _a, ...kept } = again;
    const { createdAt: _b, ...shipped } = source;
    expect(kept).toEqual(shipped);
  }, 120_000);

  it('with another editSharpness: the option is recorded, the stage graphs change, the rest is the export', async () => {
    const source = manifestOf(SHIPPED);
    const other = { gain: 8, threshold: 0.2 }; // the shipped default has 4@0.3 (docs/TRAINING.md, BT)
    expect((source.config.model as { editSharpness?: unknown }).editSharpness).not.toEqual(other);
    const out = join(tmp, 'sharp');
    const sharp = await reExport({ from: SHIPPED, name: 'sharp', outDir: out, exportOptions: { editSharpness: other } });
    expect(sharp.config.model).toEqual({ ...(source.config.model as object), editSharpness: other });
    expect(sharp.config.run).toEqual(source.config.run);
    expect([sharp.modelVersion, sharp.tokenizer, sharp.templates, sharp.licenses]).toEqual([source.modelVersion, source.tokenizer, source.templates, source.licenses]);
    expect(sharp.checkpoints.map((c) => [c.epoch, c.step, c.settings])).toEqual(source.checkpoints.map((c) => [c.epoch, c.step, c.settings]));
    const [before, after] = [shaByPath(source), shaByPath(sharp)];
    for (const [path, sha] of after) {
      const stage = /^(.*stage_\d)\.bin$/.exec(path)?.[1];
      // The gain and threshold are constants: in the .bin, or (uint8: a scalar's value is its range) in the .json.
      if (stage) expect([sha, after.get(`${stage}.json`)], stage).not.toEqual([before.get(path), before.get(`${stage}.json`)]);
      else if (!/stage_\d\.json$/.test(path)) expect(sha, path).toBe(before.get(path)); // text encoders, templates, thumbnails
    }
    const [a, b] = [await finalImage(SHIPPED), await finalImage(out)];
    let moved = 0;
    for (let j = 0; j < a.length; j++) if (Math.abs(a[j] - b[j]) > 0.05) moved++;
    expect(moved).toBeGreaterThan(0); // the edits changed…
    expect(moved).toBeLessThan(a.length / 4); // …and the template around them did not
  }, 120_000);

  it('refuses what it cannot re-export, with what to do', async () => {
    await expect(reExport({ from: 'spine', name: 'x', outDir: join(tmp, 'spine'), exportOptions: { snapMono: true } })).rejects.toThrow(/"tiny" model; --from-export takes memeface models/);
    await expect(reExport({ from: join(tmp, 'nowhere'), name: 'x', outDir: join(tmp, 'x'), exportOptions: { snapMono: true } })).rejects.toThrow(/no manifest\.json there/);
    await expect(reExport({ from: SHIPPED, name: 'x', outDir: join(tmp, 'bad'), exportOptions: { editSharpness: { gain: 4, threshold: 1.5 } } })).rejects.toThrow(/editSharpness\.threshold must lie strictly between 0 and 1/);
    expect(parseSettings(['shadeInk: false', 'channels: [32,8,4]'])).toEqual({ shadeInk: false, channels: [32, 8, 4] });
    expect(() => parseSettings(['shadeInk=false'])).toThrow(/not "key: value"/);
  });
});
