import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as jieba from 'jieba-wasm';
import { parseManifest, type CheckpointRef, type ModelManifest } from '../../model/manifest';
import type { LoadedPipeline } from '../../model/runtime/pipeline';
import { createSegmenter } from '../../model/text/segmenter';
import { Vocabulary, type Segmenter } from '../../model/text/tokenizer';
import { decodePngFile } from '../io/png';
import { loadGraphModelFile, readGraphWeights, ModelFileError } from './node-graph';
import type { WeightMap } from './record';
import { sha256 } from './write-files';

/** An exported model opened from disk in Node, the way the worker opens it in the browser. */
export interface NodeModel {
  dir: string;
  manifest: ModelManifest;
  vocab: Vocabulary;
  segment: Segmenter;
}

export function openNodeModel(manifestPath: string, verify = true): NodeModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new ModelFileError(`Cannot read ${manifestPath}: ${(e as Error).message}. Export a model first (npm run export).`);
  }
  const manifest = parseManifest(raw);
  const dir = dirname(manifestPath);
  if (verify) verifyFiles(dir, manifest);
  return {
    dir,
    manifest,
    vocab: new Vocabulary(manifest.tokenizer.vocab),
    segment: createSegmenter(jieba, manifest.tokenizer.userDictionary),
  };
}

/** Every file's sha256 must match the manifest, as the worker checks in the browser. */
export function verifyFiles(dir: string, manifest: ModelManifest): void {
  for (const f of manifest.files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, f.path));
    } catch {
      throw new ModelFileError(`Model file ${f.path} is missing. Re-export the model or restore the folder ${dir}.`);
    }
    if (sha256(bytes) !== f.sha256) {
      throw new ModelFileError(`Model file ${f.path} is corrupt (sha256 mismatch). Re-export the model or restore it from git.`);
    }
  }
}

/** The graphs of the final model, or of checkpoint `index` of the timeline. */
export function graphsOf(m: ModelManifest, checkpoint?: number): Pick<CheckpointRef, 'textEncoder' | 'stages'> {
  if (checkpoint === undefined) return m;
  const c = m.checkpoints[checkpoint];
  if (!c) throw new ModelFileError(`There is no checkpoint ${checkpoint}; this model has ${m.checkpoints.length} (0..${m.checkpoints.length - 1}).`);
  return c;
}

export async function loadNodePipeline(model: NodeModel, checkpoint?: number): Promise<LoadedPipeline> {
  const g = graphsOf(model.manifest, checkpoint);
  return {
    textEncoder: await loadGraphModelFile(join(model.dir, g.textEncoder.modelJson)),
    stages: await Promise.all(g.stages.map(async (s) => ({ size: s.size, model: await loadGraphModelFile(join(model.dir, s.modelJson)) }))),
  };
}

/** All float weights of the final model or a checkpoint, merged across its graphs. */
export function readModelWeights(model: NodeModel, checkpoint?: number): WeightMap {
  const g = graphsOf(model.manifest, checkpoint);
  const out: WeightMap = new Map();
  for (const ref of [g.textEncoder, ...g.stages]) for (const [k, v] of readGraphWeights(join(model.dir, ref.modelJson))) out.set(k, v);
  return out;
}

export class UnknownTemplateError extends Error {
  override name = 'UnknownTemplateError';
}

/** The template's patterns P_i as [-1, 1] HWC floats keyed by size. */
export function templatePatterns(model: NodeModel, templateId: string): Record<number, Float32Array> {
  const t = model.manifest.templates.find((x) => x.id === templateId);
  if (!t) {
    const ids = model.manifest.templates.map((x) => x.id).join(', ');
    throw new UnknownTemplateError(`Unknown template "${templateId}". Pick one of: ${ids}.`);
  }
  const out: Record<number, Float32Array> = {};
  for (const [size, path] of Object.entries(t.patterns)) out[Number(size)] = decodePngFile(join(model.dir, path)).data;
  return out;
}
