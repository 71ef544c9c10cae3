// The one typed config for the data build. Every knob has a default here; callers pass a partial
// override (CLI flags, tests) and unknown keys are rejected so typos never silently do nothing.
import { FixDataConfigError } from './errors.js';

export interface ClusteringConfig {
  /** Number of k-means clusters; 'auto' = number of templates (emoji) or silhouette-chosen (user folders). */
  k: number | 'auto';
  /** k-means++ restarts; the lowest-inertia run wins. */
  restarts: number;
  maxIterations: number;
  /** A face farther than mean + outlierSigma·sd from its cluster centroid is an outlier and is removed. */
  outlierSigma: number;
  /** Also drop faces whose cluster is dominated by another template (default: only flag them). */
  removeMisfits: boolean;
}

export interface CaptionConfig {
  /** Paper's length filter, in characters (Han characters count 1 each). */
  minLength: number;
  maxLength: number;
  /** Compose short keywords with the emoji's name (marked composed) instead of dropping them. */
  composeShortCaptions: boolean;
  /** Captions equal to one of these (after stripping) say nothing about the expression. */
  genericWords: string[];
  /** Drop captions without any Chinese character (the model is trained on Chinese). */
  requireHan: boolean;
  /** Use the vendored rime-emoji colloquial phrases. */
  includeRime: boolean;
}

export interface PerplexityConfig {
  /** Character n-gram order of the caption language model. */
  order: number;
  /** Add-k smoothing constant. */
  addK: number;
  /** Kept range of perplexity, absolute: [min, max]; max null = no absolute ceiling. */
  min: number;
  max: number | null;
  /** Also drop the captions above this quantile of perplexity (1 = keep all). */
  maxQuantile: number;
}

export interface SplitConfig {
  /** Share of (style, expression) pairs held out for test. */
  testFraction: number;
  /** Share of distinct caption strings never shown in training. */
  heldOutCaptionFraction: number;
}

export interface BandConfig {
  /** Crop a caption band off user images before anything else. */
  enabled: boolean;
  /** A band is between these shares of the image height. */
  minFraction: number;
  maxFraction: number;
  /** Per-channel distance (0–255) within which a pixel counts as band background. */
  colorTolerance: number;
}

export interface DataConfig {
  seed: number;
  /** Output folder, relative to the working directory. */
  outDir: string;
  /** Styles to build ('all' or style ids from training/data/sources/styles.ts). */
  styles: 'all' | string[];
  /** Cap faces per style (null = all); tests use small subsets. */
  maxFacesPerStyle: number | null;
  /** Side of the main images; the derived sizes are resized from it. */
  imageSize: number;
  derivedSizes: number[];
  /** Empty margin kept around the trimmed drawing, as a share of the side. */
  marginFraction: number;
  /** A style gets its own cat template when it draws at least this many cat faces. */
  catTemplateMinFaces: number;
  clustering: ClusteringConfig;
  captions: CaptionConfig;
  perplexity: PerplexityConfig;
  split: SplitConfig;
  band: BandConfig;
  /** Parallel image decodes; 2 suits the 2-core build machine. */
  concurrency: number;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

export const DEFAULT_GENERIC_WORDS = [
  '脸', '笑脸', '脸部', '面部', '面孔', '脸蛋', '表情', '人脸', '猫', '猫脸', '猫咪', '猴', '猴子', '猴脸', '笑', '嘴', '眼睛', '眼',
  'face', 'smile', 'cat', 'monkey', 'mouth', 'eyes', 'eye',
];

export const DEFAULT_DATA_CONFIG: DataConfig = {
  seed: 20190611,
  outDir: 'data/build/corpus',
  styles: 'all',
  maxFacesPerStyle: null,
  imageSize: 256,
  derivedSizes: [128, 64],
  marginFraction: 0.06,
  catTemplateMinFaces: 5,
  clustering: { k: 'auto', restarts: 4, maxIterations: 60, outlierSigma: 3, removeMisfits: false },
  captions: {
    minLength: 3,
    maxLength: 12,
    composeShortCaptions: true,
    genericWords: DEFAULT_GENERIC_WORDS,
    requireHan: true,
    includeRime: true,
  },
  perplexity: { order: 3, addK: 0.1, min: 0, max: null, maxQuantile: 0.95 },
  split: { testFraction: 0.1, heldOutCaptionFraction: 0.05 },
  band: { enabled: true, minFraction: 0.04, maxFraction: 0.45, colorTolerance: 48 },
  concurrency: 2,
};

/** Leaves whose type may differ from the default's (unions); everything else must match typeof. */
const UNION_LEAVES: Record<string, (value: unknown) => boolean> = {
  styles: (v) => v === 'all' || (Array.isArray(v) && v.every((s) => typeof s === 'string')),
  maxFacesPerStyle: (v) => v === null || (typeof v === 'number' && Number.isInteger(v) && v > 0),
  'clustering.k': (v) => v === 'auto' || (typeof v === 'number' && Number.isInteger(v) && v >= 1),
  'perplexity.max': (v) => v === null || (typeof v === 'number' && v > 0),
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeChecked(defaults: unknown, override: unknown, path: string): unknown {
  if (override === undefined) return defaults;
  const check = UNION_LEAVES[path];
  if (check) {
    if (!check(override)) throw new FixDataConfigError(`Config "${path}" has an invalid value ${JSON.stringify(override)}.`);
    return override;
  }
  if (isPlainObject(defaults)) {
    if (!isPlainObject(override)) throw new FixDataConfigError(`Config "${path}" must be an object.`);
    const merged: Record<string, unknown> = {};
    for (const key of Object.keys(override)) {
      if (!(key in defaults)) {
        throw new FixDataConfigError(`Unknown config key "${path ? `${path}.` : ''}${key}". Known: ${Object.keys(defaults).join(', ')}.`);
      }
    }
    for (const [key, value] of Object.entries(defaults)) {
      merged[key] = mergeChecked(value, override[key], path ? `${path}.${key}` : key);
    }
    return merged;
  }
  if (Array.isArray(defaults)) {
    const itemType = typeof defaults[0];
    if (!Array.isArray(override) || override.some((item) => typeof item !== itemType)) {
      throw new FixDataConfigError(`Config "${path}" must be an array of ${itemType}.`);
    }
    return [...override];
  }
  if (typeof override !== typeof defaults || (typeof override === 'number' && !Number.isFinite(override))) {
    throw new FixDataConfigError(`Config "${path}" must be a finite ${typeof defaults}, got ${JSON.stringify(override)}.`);
  }
  return override;
}

function checkRanges(config: DataConfig): void {
  const fail = (message: string): never => {
    throw new FixDataConfigError(message);
  };
  const { captions, perplexity, split, band, clustering } = config;
  if (captions.minLength < 1 || captions.maxLength < captions.minLength) fail('captions: need 1 ≤ minLength ≤ maxLength.');
  if (perplexity.order < 1 || !Number.isInteger(perplexity.order)) fail('perplexity.order must be an integer ≥ 1.');
  if (perplexity.addK <= 0) fail('perplexity.addK must be > 0.');
  if (perplexity.max !== null && perplexity.max < perplexity.min) fail('perplexity: need min ≤ max.');
  if (perplexity.maxQuantile <= 0 || perplexity.maxQuantile > 1) fail('perplexity.maxQuantile must be in (0, 1].');
  if (split.testFraction <= 0 || split.testFraction >= 0.5) fail('split.testFraction must be in (0, 0.5).');
  if (split.heldOutCaptionFraction < 0 || split.heldOutCaptionFraction >= 0.5) fail('split.heldOutCaptionFraction must be in [0, 0.5).');
  if (band.minFraction <= 0 || band.maxFraction <= band.minFraction || band.maxFraction >= 1) fail('band: need 0 < minFraction < maxFraction < 1.');
  if (clustering.outlierSigma <= 0 || clustering.restarts < 1) fail('clustering: outlierSigma > 0 and restarts ≥ 1.');
  if (config.imageSize < 16 || config.derivedSizes.some((s) => s < 8 || s > config.imageSize)) fail('imageSize ≥ 16 and derivedSizes within [8, imageSize].');
  if (config.marginFraction < 0 || config.marginFraction >= 0.4) fail('marginFraction must be in [0, 0.4).');
  if (config.concurrency < 1) fail('concurrency must be ≥ 1.');
}

/** Merges an override onto the defaults; throws FixDataConfigError on unknown keys or bad values. */
export function resolveDataConfig(override: unknown = {}): DataConfig {
  const merged = mergeChecked(DEFAULT_DATA_CONFIG, override, '') as DataConfig;
  checkRanges(merged);
  return merged;
}
