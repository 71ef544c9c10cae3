/**
 * A new run that starts from an exported model (`npm run train -- --init-from-export <model>`):
 * the generator and text encoder take the export's final (EMA) weights, the vocabulary is the
 * export's, and everything the export does not carry starts afresh: D, the Adam moments and the
 * DAMSM image encoder, which the run's DAMSM phase retrains against the export's text encoder
 * (frozen there, as the GAN fine-tuned it and the image encoder must match it).
 *
 * Why: a run folder (checkpoints with D and Adam) lives only on the machine that trained it; the
 * export is what the repo keeps (public/models/default). Starting from it lets a change be tried
 * as a branch of the shipped model without repeating its 3 hours.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openNodeModel, readModelWeights } from '../export/node-model';
import type { WeightMap } from '../export/record';
import { configDiff, PARAMETER_FREE_MODEL_PATH, resolveConfig, type RunConfig } from './config';
import type { RunVocab } from './checkpoint';

export class ExportStartError extends Error {
  override name = 'ExportStartError';
}

export interface ExportStart {
  /** The manifest's folder. */
  dir: string;
  modelVersion: string;
  vocab: RunVocab;
  /** The final model's weights by parameter name (text/…, gen/…), float32. */
  weights: WeightMap;
}

/** `public/models/<name>`, or a folder holding a manifest.json; `flag` names the option in the error. */
export function resolveExportDir(modelOrDir: string, flag = '--init-from-export'): string {
  for (const dir of [modelOrDir, join('public/models', modelOrDir)]) if (existsSync(join(dir, 'manifest.json'))) return dir;
  throw new ExportStartError(`${flag} ${modelOrDir}: no manifest.json there or under public/models/${modelOrDir}. Pass an exported model's folder (npm run export).`);
}

/**
 * Reads the export and checks that `cfg` builds the same networks: its `model` and `text`
 * sections must equal the run config the export was trained with (saved in its manifest).
 */
export function readExportStart(modelOrDir: string, cfg: RunConfig): ExportStart {
  const dir = resolveExportDir(modelOrDir);
  const model = openNodeModel(join(dir, 'manifest.json'));
  const m = model.manifest;
  if (m.architecture !== 'memeface') throw new ExportStartError(`${dir} is a "${m.architecture}" model; only memeface exports can start a MemeFace run.`);
  const saved = m.config.run as RunConfig | undefined;
  if (!saved?.model || !saved.text) throw new ExportStartError(`${dir}'s manifest has no run config (config.run); re-export it with this version (npm run export).`);
  // Keys added since the export was made take their defaults, as they would in its run folder.
  const source = resolveConfig(saved);
  const differing = (['model', 'text'] as const).flatMap((section) => {
    const [a, b] = [source[section], cfg[section]] as Record<string, unknown>[];
    // Keys that add no parameters (the shade's targets, the colour gate's input, the mask's reading) may change, as in a warm start.
    return configDiff(a, b, section).filter((path) => !PARAMETER_FREE_MODEL_PATH.test(path)).map((path) => {
      const key = path.slice(section.length + 1);
      return `${path}: export ${JSON.stringify(a[key])}, config ${JSON.stringify(b[key])}`;
    });
  });
  if (differing.length) {
    throw new ExportStartError(`The config builds other networks than ${dir} holds (${differing.join('; ')}). Only gan.*, damsm.*, the model keys that add no parameters (shadeInk, shadeFill, colourGateWhole, editSharpness), the seed, the name, logging and the grid may differ from the export's run config.`);
  }
  return {
    dir,
    modelVersion: m.modelVersion,
    vocab: { settings: m.tokenizer.settings, words: [...m.tokenizer.vocab], userDictionary: [...m.tokenizer.userDictionary] },
    weights: readModelWeights(model),
  };
}
