import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memeFaceArchitectureFor } from '../../model/memeface/architecture';
import type { MemeFaceConfig } from '../../model/memeface/config';
import type { LicenseRef, ModelManifest } from '../../model/manifest';
import type { WeightPrecision } from '../../model/ops/serialize';
import { STYLES } from '../data/sources/styles';
import type { ExportOptions } from '../train/config';
import { checkpointHistory, listCheckpoints, loadExportWeights, readRunConfig, readRunVocab, runModelConfig, readExportStartRecord, type CheckpointInfo } from '../train/checkpoint';
import { exportModel, type CheckpointSource } from './export-model';
import { withExportOptions } from './export-options';
import { ModelFileError } from './node-graph';
import { exportTimeline, openMemeFaceExport } from './re-export';
import type { TemplateSource } from './templates';

export interface ExportRunOptions {
  runDir: string;
  name: string;
  outDir: string;
  /** The final (EMA) model; float16 halves the bytes at ~1e-4 cost. */
  finalPrecision: WeightPrecision;
  /** The checkpoint timeline; uint8 keeps it small. */
  timelinePrecision: WeightPrecision;
  /** Keep at most this many timeline checkpoints, evenly spaced, always with the last (0 = all). */
  maxTimeline: number;
  /** Export options (training/train/config.ts EXPORT_OPTIONS), set in every graph and recorded in the manifest. */
  exportOptions?: ExportOptions;
  /**
   * A run started from an export (`--init-from-export`): the folder of that export, when it is no
   * longer where the run recorded it (from-export.json), e.g. because this run's export replaced it.
   */
  sourceExport?: string;
}

// Captions and vocabulary come from these sources; the manifest carries their notices too.
const CAPTION_LICENSES: LicenseRef[] = [
  { subject: 'Unicode CLDR annotations (cldr-annotations-full)', license: 'Unicode-3.0', attribution: 'Emoji names and keywords from Unicode CLDR, © Unicode, Inc., Unicode License v3.' },
  { subject: 'emojibase-data', license: 'MIT', attribution: 'Emoji labels and tags from emojibase-data, MIT License.' },
  { subject: 'rime-emoji (Debian rime-data-emoji)', license: 'LGPL-3.0', attribution: 'Colloquial emoji phrases from rime-emoji, LGPL-3.0.' },
];

interface RunTemplates {
  templates: { id: string; style: string; name: { zh: string; en: string }; png: string }[];
}

class RunNotReadyError extends Error {
  override name = 'RunNotReadyError';
}

/** Evenly spaced subset of `xs` that always keeps the last element. */
export function thinTimeline<T>(xs: T[], max: number): T[] {
  if (max <= 0 || xs.length <= max) return xs;
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) picked.add(Math.round(((xs.length - 1) * i) / (max - 1)));
  return [...picked].sort((a, b) => a - b).map((i) => xs[i]);
}

function runTemplates(runDir: string): TemplateSource[] {
  const path = join(runDir, 'templates.json');
  if (!existsSync(path)) throw new RunNotReadyError(`${runDir} has no templates.json: it was not started by npm run train.`);
  const t = JSON.parse(readFileSync(path, 'utf8')) as RunTemplates;
  return t.templates.map((x) => ({ id: x.id, style: x.style, name: x.name, png256: readFileSync(join(runDir, x.png)) }));
}

function styleLicenses(templates: TemplateSource[]): LicenseRef[] {
  const styles = new Set(templates.map((t) => STYLES.find((s) => t.style === s.id || t.style.startsWith(`${s.id}-`))?.id));
  return STYLES.filter((s) => styles.has(s.id)).map((s) => ({ subject: s.name, license: s.licence, attribution: s.attribution }));
}

/**
 * A run's timeline, as loaders (the caller thins it, then reads only what it keeps). Started from
 * an export: the export's own checkpoints first (what the weights went through before the branch),
 * then the run's, numbered on from the export's last (the export's final model), so that the app's
 * timeline shows the whole training in order; `offset` is that last checkpoint's epoch and step. A
 * run that did not start from an export numbers its own checkpoints (warm starts included:
 * checkpointHistory) from 0.
 */
function runTimeline(o: ExportRunOptions, own: CheckpointInfo[], ownSource: (c: CheckpointInfo) => CheckpointSource<MemeFaceConfig>): { timeline: (() => CheckpointSource<MemeFaceConfig>)[]; offset: { epoch: number; step: number } } {
  const record = readExportStartRecord(o.runDir);
  if (!record) return { timeline: checkpointHistory(o.runDir).map((c) => () => ownSource(c)), offset: { epoch: 0, step: 0 } };
  const dir = o.sourceExport ?? record.model;
  const { model, exported } = openMemeFaceExport(dir, '--source-export');
  const m = model.manifest;
  const last = m.checkpoints[m.checkpoints.length - 1];
  if (m.modelVersion !== record.modelVersion || !last || !m.modelVersion.endsWith(`@epoch${last.epoch}`)) {
    throw new ModelFileError(
      `${o.runDir} started from the export ${record.modelVersion} (${record.model}); ${dir} holds ${m.modelVersion}${last ? ` with its timeline ending at epoch ${last.epoch}` : ' with no timeline'}. Pass that export's folder with --source-export <dir> (for example a checkout of the commit that shipped it).`,
    );
  }
  const source = exportTimeline(model, exported, o.exportOptions ?? {});
  return { timeline: [...source, ...own.map((c) => () => ({ ...ownSource(c), epoch: last.epoch + c.epoch, step: last.step + c.step }))], offset: { epoch: last.epoch, step: last.step } };
}

/** Exports a training run's last checkpoint and its checkpoint timeline as graph models. */
export async function exportRun(o: ExportRunOptions): Promise<ModelManifest> {
  if (!existsSync(join(o.runDir, 'config.json'))) throw new ModelFileError(`${o.runDir} is not a run folder. Runs live in training/runs/.`);
  const checkpoints = listCheckpoints(o.runDir);
  const last = checkpoints[checkpoints.length - 1];
  if (!last) throw new RunNotReadyError(`${o.runDir} has no GAN checkpoint yet. Train longer (npm run train -- --resume ${o.runDir}).`);
  // Export options join each run's trained config; the manifest records the result.
  const exportConfig = (runDir: string): MemeFaceConfig => withExportOptions(runModelConfig(runDir), o.exportOptions);
  const cfg = exportConfig(o.runDir);
  const vocab = readRunVocab(o.runDir);
  const templates = runTemplates(o.runDir);
  // Each timeline checkpoint is drawn by the graph of the run that saved it (a warm start's source may differ).
  const configs = new Map([[o.runDir, cfg]]);
  const configOf = (runDir: string) => configs.get(runDir) ?? configs.set(runDir, exportConfig(runDir)).get(runDir)!;
  const ownSource = (c: CheckpointInfo): CheckpointSource<MemeFaceConfig> => ({ epoch: c.epoch, step: c.step, weights: loadExportWeights(c.dir), precision: o.timelinePrecision, config: configOf(c.runDir) });
  const { timeline, offset } = runTimeline(o, checkpoints, ownSource);
  return exportModel({
    outDir: o.outDir,
    name: o.name,
    // The epoch of the whole training, as the timeline numbers it (a branch goes on from its export's).
    modelVersion: `${o.runDir.split('/').pop()}@epoch${offset.epoch + last.epoch}`,
    arch: memeFaceArchitectureFor(cfg),
    config: cfg,
    runConfig: readRunConfig(o.runDir) as unknown as Record<string, unknown>,
    zDim: cfg.zDim,
    final: { weights: loadExportWeights(last.dir), precision: o.finalPrecision },
    checkpoints: thinTimeline(timeline, o.maxTimeline).map((load) => load()),
    templates,
    tokenizer: { settings: vocab.settings, vocab: vocab.words, userDictionary: vocab.userDictionary },
    licenses: [...styleLicenses(templates), ...CAPTION_LICENSES],
  });
}
