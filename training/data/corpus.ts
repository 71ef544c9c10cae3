// The corpus on disk, as the model and training code consume it. Layout under the corpus folder:
//   manifest.json                 CorpusManifest (below)
//   images/<size>/<id>.png        every kept image at each size (RGB PNG, white background)
//   templates/<template>/P-<size>.png   each template's base pattern P
//   report.json, report.md        counts at every cleaning step
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RebuildCorpusError } from './errors.js';
import type { CaptionSource } from './captions/types.js';

export const CORPUS_FORMAT_VERSION = 1;

export interface CorpusCaption {
  text: string;
  source: CaptionSource;
  /** True when built by joining shorter captions to pass the length filter. */
  composed: boolean;
  parts?: string[];
  /** Leave-one-out character n-gram perplexity (the LM filter's score). */
  perplexity: number;
}

export interface CorpusRecord {
  /** Unique, file-name safe, e.g. "noto-1F600". */
  id: string;
  /** Style family id (emoji) or the user's cluster id. */
  style: string;
  /** Template id the image belongs to, e.g. "noto" or "noto-cat". */
  template: string;
  /** Emoji hexcode without FE0F (e.g. "1F600"); "" for user images. */
  codepoint: string;
  emoji: string;
  /** What is held out with the style in the split: the codepoint, or the user's expression key. */
  expression: string;
  /** Chinese captions that survived all filters. Train records never carry a held-out caption. */
  zh: CorpusCaption[];
  /** English CLDR name and keywords (unfiltered; for display and evaluation). */
  en: string[];
  split: 'train' | 'test';
  /** k-means cluster index, and whether it differs from the template's home (majority) cluster. */
  cluster: number;
  misfit: boolean;
  /** PNG paths relative to the corpus folder, by side length. */
  images: Record<string, string>;
  source: { package: string; version: string; name: string };
}

export interface CorpusTemplate {
  id: string;
  style: string;
  /** Display name, e.g. "Noto Emoji" or "Noto Emoji cats"; the cluster id for user folders. */
  name: string;
  kind: 'face' | 'cat' | 'user';
  /** Record id of the base pattern P and why it was chosen. */
  baseRecordId: string;
  baseReason: 'neutral face' | 'medoid';
  /** P's PNG paths relative to the corpus folder, by side length. */
  images: Record<string, string>;
  recordCount: number;
}

export interface CorpusManifest {
  formatVersion: number;
  kind: 'emoji' | 'user';
  seed: number;
  sizes: number[];
  templates: CorpusTemplate[];
  records: CorpusRecord[];
  /** Caption strings held out of training (they may appear on test records). */
  heldOutCaptions: string[];
}

export interface LoadedCorpus {
  dir: string;
  manifest: CorpusManifest;
  /** Records with absolute image paths. */
  records: (CorpusRecord & { imagePaths: Record<string, string> })[];
  templates: (CorpusTemplate & { imagePaths: Record<string, string> })[];
}

function absolutePaths(dir: string, images: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(images).map(([size, path]) => [size, join(dir, path)]));
}

function isManifest(value: unknown): value is CorpusManifest {
  const m = value as CorpusManifest;
  return typeof m === 'object' && m !== null && Array.isArray(m.records) && Array.isArray(m.templates) && Array.isArray(m.sizes);
}

/** Reads a corpus folder written by `npm run data`; throws RebuildCorpusError when absent or stale. */
export function loadCorpus(dir = 'data/build/corpus'): LoadedCorpus {
  const root = resolve(dir);
  const manifestPath = join(root, 'manifest.json');
  if (!existsSync(manifestPath)) throw new RebuildCorpusError(`No corpus at ${manifestPath}; run npm run data.`);
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (!isManifest(manifest) || manifest.formatVersion !== CORPUS_FORMAT_VERSION) {
    throw new RebuildCorpusError(`Corpus at ${root} has an unknown format; run npm run data to rebuild it.`);
  }
  return {
    dir: root,
    manifest,
    records: manifest.records.map((r) => ({ ...r, imagePaths: absolutePaths(root, r.images) })),
    templates: manifest.templates.map((t) => ({ ...t, imagePaths: absolutePaths(root, t.images) })),
  };
}

/** (image, caption) training pairs of one split, flattened. */
export function captionPairs(corpus: LoadedCorpus, split: 'train' | 'test'): { record: LoadedCorpus['records'][number]; caption: string }[] {
  return corpus.records.filter((r) => r.split === split).flatMap((record) => record.zh.map((c) => ({ record, caption: c.text })));
}
