/**
 * The model manifest: everything the browser (and the Node `generate` CLI) needs besides
 * the graph models themselves. Pure data; validated on load by `parseManifest`.
 *
 * Dataflow contract: the worker keeps a pool of named tensors, starting with
 * token_ids [B,L] int32, token_mask [B,L], noise [B,Z], template_<size> [B,S,S,3] in [-1,1].
 * It runs `textEncoder`, then each stage in order, feeding every graph the pool tensors its
 * placeholders name and adding the graph's named outputs to the pool. A stage output named
 * image_<size> [B,S,S,3] in [-1,1] is an image the UI can show; attn_<size> [B,S*S,L] are
 * per-word attention maps.
 */
import type { TokenizerSettings } from './text/tokenizer';

export const MANIFEST_VERSION = 1;

export interface FileRef {
  path: string; // relative to the manifest
  bytes: number;
  sha256: string;
}

export interface GraphRef {
  /** model.json path relative to the manifest. */
  modelJson: string;
  precision: 'float32' | 'float16' | 'uint8';
}

export interface StageRef extends GraphRef {
  size: number;
}

export interface CheckpointRef {
  epoch: number;
  step: number;
  textEncoder: GraphRef;
  stages: StageRef[];
  /**
   * Model settings where this checkpoint's graphs differ from the final model's, as "key: value"
   * (a warm start's source run may shade another way: "shadeInk: false"). Absent when none.
   */
  settings?: string[];
}

export interface TemplateRef {
  id: string;
  style: string;
  name: { zh: string; en: string };
  /** Base pattern P_i at each size, as PNG paths. */
  patterns: Record<string, string>;
  thumbnail: string;
}

export interface LicenseRef {
  subject: string;
  license: string;
  attribution: string;
}

export interface ModelManifest {
  manifestVersion: typeof MANIFEST_VERSION;
  name: string;
  modelVersion: string;
  architecture: string;
  createdAt: string;
  config: Record<string, unknown>;
  tokenizer: { settings: TokenizerSettings; vocab: string[]; userDictionary: string[] };
  zDim: number;
  imageSizes: number[];
  /** The final (EMA) model. */
  textEncoder: GraphRef;
  stages: StageRef[];
  /** The training timeline, oldest first (the paper's demo). */
  checkpoints: CheckpointRef[];
  templates: TemplateRef[];
  licenses: LicenseRef[];
  files: FileRef[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

const REQUIRED: (keyof ModelManifest)[] = [
  'manifestVersion', 'name', 'modelVersion', 'architecture', 'config', 'tokenizer', 'zDim',
  'imageSizes', 'textEncoder', 'stages', 'checkpoints', 'templates', 'licenses', 'files',
];

/** Parses and checks a manifest; the message says what to do when it is unusable. */
export function parseManifest(raw: unknown): ModelManifest {
  if (typeof raw !== 'object' || raw === null) throw new ManifestError('The model manifest is not a JSON object. Re-export the model (npm run export).');
  const m = raw as Record<string, unknown>;
  for (const key of REQUIRED) {
    if (!(key in m)) throw new ManifestError(`The model manifest has no "${key}". Re-export the model with this version of MemeFace (npm run export).`);
  }
  if (m.manifestVersion !== MANIFEST_VERSION) {
    throw new ManifestError(`The model manifest is version ${String(m.manifestVersion)}, this app reads version ${MANIFEST_VERSION}. Re-export the model.`);
  }
  const manifest = m as unknown as ModelManifest;
  if (!manifest.stages.length) throw new ManifestError('The model manifest lists no generator stages.');
  if (!manifest.templates.length) throw new ManifestError('The model manifest lists no templates.');
  return manifest;
}
