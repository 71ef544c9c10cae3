import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Architecture } from '../../model/architecture';
import {
  MANIFEST_VERSION,
  type CheckpointRef,
  type GraphRef,
  type LicenseRef,
  type ModelManifest,
  type StageRef,
} from '../../model/manifest';
import type { WeightPrecision } from '../../model/ops/serialize';
import type { TokenizerSettings } from '../../model/text/tokenizer';
import { recordGraph, type WeightMap } from './record';
import { writeTemplates, type TemplateSource } from './templates';
import { ModelFolder } from './write-files';

export interface CheckpointSource<C> {
  epoch: number;
  step: number;
  weights: WeightMap;
  precision: WeightPrecision;
  /**
   * The model config it was trained with, where it differs from the final one: a warm start may
   * change keys that add no parameters (model.shadeInk, …), and a checkpoint drawn through the
   * final graph would not be the picture it drew in training. Absent: `ExportRequest.config`.
   */
  config?: C;
}

export interface ExportRequest<C> {
  outDir: string;
  name: string;
  modelVersion: string;
  arch: Architecture<C>;
  config: C;
  /** Resolved run config, saved verbatim in the manifest. */
  runConfig: Record<string, unknown>;
  zDim: number;
  final: { weights: WeightMap; precision: WeightPrecision };
  checkpoints: CheckpointSource<C>[];
  templates: TemplateSource[];
  tokenizer: { settings: TokenizerSettings; vocab: string[]; userDictionary: string[] };
  licenses: LicenseRef[];
}

/** Records every graph of `arch` for one set of weights under `prefix/`. */
function writeGraphs<C>(folder: ModelFolder, prefix: string, arch: Architecture<C>, cfg: C, weights: WeightMap, precision: WeightPrecision) {
  const graph = (spec: Architecture<C>['textEncoder']): GraphRef => {
    const g = recordGraph(spec.inputs(cfg), weights, (o, p, x) => void spec.build(o, p, cfg, x));
    return { modelJson: folder.writeGraph(`${prefix}/${spec.id}`, g, precision), precision };
  };
  const textEncoder = graph(arch.textEncoder);
  const stages: StageRef[] = arch.stages.map((s) => ({ ...graph(s), size: s.size }));
  return { textEncoder, stages };
}

/** "key: value" for each top-level key whose value in `cfg` differs from `final`'s (an absent switch reads false). */
export function settingsDiff<C>(cfg: C, final: C): string[] {
  const a = cfg as Record<string, unknown>;
  const b = final as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const value = (v: unknown) => JSON.stringify(v ?? false);
  return keys.filter((k) => value(a[k]) !== value(b[k])).map((k) => `${k}: ${value(a[k])}`);
}

/** Writes graph models, templates and a manifest listing every file with its sha256. */
export async function exportModel<C>(req: ExportRequest<C>): Promise<ModelManifest> {
  const folder = new ModelFolder(req.outDir);
  const final = writeGraphs(folder, 'final', req.arch, req.config, req.final.weights, req.final.precision);
  const checkpoints: CheckpointRef[] = req.checkpoints.map((c) => {
    const settings = c.config ? settingsDiff(c.config, req.config) : [];
    return {
      epoch: c.epoch,
      step: c.step,
      ...writeGraphs(folder, `checkpoints/epoch_${String(c.epoch).padStart(4, '0')}`, req.arch, c.config ?? req.config, c.weights, c.precision),
      ...(settings.length ? { settings } : {}),
    };
  });
  const templates = await writeTemplates(folder, req.templates, req.arch.stages.map((s) => s.size));
  const manifest: ModelManifest = {
    manifestVersion: MANIFEST_VERSION,
    name: req.name,
    modelVersion: req.modelVersion,
    architecture: req.arch.name,
    createdAt: new Date().toISOString(),
    config: { model: req.config as unknown as Record<string, unknown>, run: req.runConfig },
    tokenizer: req.tokenizer,
    zDim: req.zDim,
    imageSizes: req.arch.stages.map((s) => s.size),
    textEncoder: final.textEncoder,
    stages: final.stages,
    checkpoints,
    templates,
    licenses: req.licenses,
    files: folder.files,
  };
  writeFileSync(join(req.outDir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  return manifest;
}
