/**
 * Re-exports an exported model with export options added (`npm run export -- --from-export <model>
 * --sharpen-edits 4@0.3`): every graph, the final model's and each timeline checkpoint's, is
 * recorded again from the one model definition with the export's own weights, vocabulary,
 * templates, run config and licences.
 *
 * Why: export options (snapMono, editSharpness, …) change only the graphs, but `--run` needs the
 * run folder, which lives only on the machine that trained it; the repo keeps the export. The
 * weights go back at the precision they were stored in (float16 and uint8 round-trip to the same
 * values: tests/unit/export/re-export.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memeFaceArchitectureFor } from '../../model/memeface/architecture';
import type { MemeFaceConfig } from '../../model/memeface/config';
import type { ModelManifest } from '../../model/manifest';
import type { ExportOptions } from '../train/config';
import { resolveExportDir } from '../train/export-start';
import { exportModel, type CheckpointSource } from './export-model';
import { withExportOptions } from './export-options';
import { ModelFileError } from './node-graph';
import { openNodeModel, readModelWeights, type NodeModel } from './node-model';

export interface ReExportOptions {
  /** `public/models/<name>` or a folder holding a manifest.json. */
  from: string;
  name: string;
  outDir: string;
  /** Set on the export's model config and each checkpoint's: a value given here replaces the export's, the others stay. */
  exportOptions: ExportOptions;
}

/** A checkpoint's "key: value" settings (export-model.ts settingsDiff) back into config keys. */
export function parseSettings(settings: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(
    settings.map((line) => {
      const at = line.indexOf(': ');
      if (at < 0) throw new ModelFileError(`A checkpoint setting reads "${line}", not "key: value". Re-export the model from its run (npm run export -- --run <run>).`);
      return [line.slice(0, at), JSON.parse(line.slice(at + 2)) as unknown];
    }),
  );
}

function largestPattern(patterns: Record<string, string>): string {
  const size = Math.max(...Object.keys(patterns).map(Number));
  return patterns[String(size)];
}

/** A memeface export with the model and run config it was exported with. */
export function openMemeFaceExport(dir: string, flag: string): { model: NodeModel; exported: MemeFaceConfig; run: Record<string, unknown> } {
  const model = openNodeModel(join(dir, 'manifest.json'));
  const m = model.manifest;
  if (m.architecture !== 'memeface') throw new ModelFileError(`${dir} is a "${m.architecture}" model; ${flag} takes memeface models (the spine: npm run export -- --spine).`);
  const saved = m.config as { model?: MemeFaceConfig; run?: Record<string, unknown> };
  if (!saved.model || !saved.run) throw new ModelFileError(`${dir}'s manifest has no model and run config; re-export it from its run (npm run export -- --run <run>).`);
  return { model, exported: saved.model, run: saved.run };
}

/**
 * An export's timeline checkpoints, ready to be recorded again: each loads its weights at the
 * precision they were stored in, drawn by its own graph (the export's model config with the
 * checkpoint's settings) with `exportOptions` set. Loaders, so that a caller that thins the
 * timeline reads only the checkpoints it keeps.
 */
export function exportTimeline(model: NodeModel, exported: MemeFaceConfig, exportOptions: ExportOptions): (() => CheckpointSource<MemeFaceConfig>)[] {
  return model.manifest.checkpoints.map((c, i) => () => ({
    epoch: c.epoch,
    step: c.step,
    weights: readModelWeights(model, i),
    precision: c.stages[0].precision,
    // Settings are where the checkpoint's graph differed from the final one (undone options read false).
    config: withExportOptions({ ...exported, ...parseSettings(c.settings) }, exportOptions),
  }));
}

export async function reExport(o: ReExportOptions): Promise<ModelManifest> {
  const dir = resolveExportDir(o.from, '--from-export');
  const { model, exported, run } = openMemeFaceExport(dir, '--from-export'); // exported: the run's model config with the export options it was exported with
  const m = model.manifest;
  const cfg = withExportOptions(exported, o.exportOptions);
  const arch = memeFaceArchitectureFor(cfg);
  return exportModel({
    outDir: o.outDir,
    name: o.name,
    modelVersion: m.modelVersion,
    arch,
    config: cfg,
    runConfig: run,
    zDim: m.zDim,
    final: { weights: readModelWeights(model), precision: m.stages[0].precision },
    checkpoints: exportTimeline(model, exported, o.exportOptions).map((load) => load()),
    // The largest pattern is the one the exporter wrote from the run's 256 px template.
    templates: m.templates.map((t) => ({ id: t.id, style: t.style, name: t.name, png256: readFileSync(join(dir, largestPattern(t.patterns))) })),
    tokenizer: m.tokenizer,
    licenses: m.licenses,
  });
}
