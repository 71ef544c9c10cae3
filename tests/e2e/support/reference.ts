import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolveArchitecture } from '../../../model/registry';
import { buildFeedArrays } from '../../../model/runtime/feeds';
import { tokenize } from '../../../model/text/tokenizer';
import { openNodeModel, readModelWeights, templatePatterns } from '../../../training/export/node-model';
import { eagerForward } from '../../../training/export/reference';

/** The Node-side forward pass (shared model code, eager, cpu) for what the page was asked. */
export async function referenceImage(manifestPath: string, text: string, templateId: string, seeds: number[], checkpoint?: number) {
  await tf.setBackend('cpu');
  const model = openNodeModel(manifestPath);
  const m = model.manifest;
  const tok = tokenize(text, model.segment, model.vocab, m.tokenizer.settings);
  const feeds = buildFeedArrays(tok.ids, tok.mask, seeds, m.zDim, templatePatterns(model, templateId));
  const out = await eagerForward(resolveArchitecture(m.architecture, (m.config as { model: unknown }).model), (m.config as { model: unknown }).model, readModelWeights(model, checkpoint), feeds);
  const size = Math.max(...m.imageSizes);
  return out.get(`image_${size}`)!.data;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function stdDev(a: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    s2 += a[i] * a[i];
  }
  const mean = s / a.length;
  return Math.sqrt(Math.max(0, s2 / a.length - mean * mean));
}
